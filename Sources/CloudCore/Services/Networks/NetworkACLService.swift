import CloudModel
import CloudStore
import Foundation
import Orchestrator

/// Network ACL lists of VPCs and their items (CloudStack's `NetworkACLService`). The system lists (`default_allow`,
/// `default_deny`) belong to no VPC: everyone may apply them, nobody may change them.
public struct NetworkACLService: Sendable {
    let services: CloudServices
    var store: CloudStore { self.services.store }

    /// The ACL list with this UUID, whose VPC the caller may access; a system list only when `system`.
    /// - Throws: 431 when unknown or a system list that may not be changed, 531 out of reach.
    public func owned(_ access: Access, id: String, parameter: String, system: Bool) async throws -> NetworkACLList {
        guard let list = try await self.store.get(NetworkACLList.self, id: id) else {
            throw access.unknown(parameter, id)
        }
        return try await self.check(access, list, system: system)
    }

    /// Checks the caller may change `list` (see ``owned(_:id:parameter:system:)``).
    /// - Returns: the list.
    public func check(_ access: Access, _ list: NetworkACLList, system: Bool) async throws -> NetworkACLList {
        guard let vpcId = list.vpcId else {
            guard system else {
                throw CloudError(
                    .paramError,
                    csErrorCode: 4350,
                    "Default network ACL list \(list.name) can't be changed"
                )
            }
            return list
        }
        guard let vpc = try await self.store.get(VPC.self, id: vpcId),
            try await access.mayAccess(accountId: vpc.accountId)
        else {
            throw Access.permissionDenied(
                "Account \(access.caller.account.name) does not have permission to access ACL list \(list.id)"
            )
        }
        return list
    }

    /// The ACL list of a new tier: `aclId` (one of the VPC's lists or a system list), `default_deny` when nil; nil
    /// outside VPCs.
    /// - Throws: 431 when `aclId` is given without a VPC, is unknown, or belongs to another VPC.
    public func tierACLId(_ access: Access, vpc: VPC?, aclId: String?) async throws -> String? {
        guard let vpc else {
            if let aclId {
                throw CloudError(.paramError, csErrorCode: 4350, "ACL \(aclId) can be applied to VPC tiers only")
            }
            return nil
        }
        guard let aclId else { return NetworkSeeder.defaultACLLists[1].id }
        guard let list = try await self.store.get(NetworkACLList.self, id: aclId) else {
            throw access.unknown("aclid", aclId)
        }
        guard list.vpcId == nil || list.vpcId == vpc.id else {
            throw CloudError(.paramError, csErrorCode: 4350, "ACL list \(list.name) belongs to another VPC")
        }
        return list.id
    }

    /// Creates an ACL list in a VPC the caller may access (createNetworkACLList).
    /// - Parameters:
    ///   - description: the description (default: the name).
    /// - Throws: 431 for an unknown VPC, 531 out of reach.
    public func createList(
        _ access: Access,
        vpcId: String,
        name: String,
        description: String?
    ) async throws -> NetworkACLList {
        let vpc = try await self.services.vpcs.owned(access, id: vpcId, parameter: "vpcid")
        let list = NetworkACLList(
            id: UUID().uuidString.lowercased(),
            name: name,
            description: description ?? name,
            vpcId: vpc.id
        )
        try await self.store.insert(list)
        return list
    }

    /// The ACL lists the caller may see (listNetworkACLLists): the system lists and those of the VPCs in the
    /// request's scope (`account`, `domainid`, `projectid`, `listall`), narrowed by VPC, network, id, name (in any
    /// case) and keyword.
    /// - Throws: 431 for bad paging or scope or an unknown network, 531 out of reach.
    public func lists(
        _ access: Access,
        _ request: ListRequest,
        vpcId: String?,
        networkId: String?
    ) async throws -> [NetworkACLList] {
        // The request's id, name and keyword name ACL lists, not VPCs: the VPCs are only the caller's scope (every
        // one in its reach when it asks for one list by id, as other lists find one id).
        var scope = request
        (scope.id, scope.ids, scope.name, scope.keyword, scope.page, scope.pageSize) = (nil, nil, nil, nil, nil, -1)
        if request.id != nil { scope.listAll = true }
        let vpcs = try await self.store.list(VPC.self, try await access.scopedQuery(scope)).items
        var systemQuery = ListQuery()
        systemQuery.isNull = ["vpc_id"]
        var lists = try await self.store.list(NetworkACLList.self, systemQuery).items
        var query = ListQuery(idIn: vpcs.map(\.id))
        query.inColumn = "vpc_id"
        lists += try await self.store.list(NetworkACLList.self, query).items
        if let vpcId { lists = lists.filter { $0.vpcId == nil || $0.vpcId == vpcId } }
        if let networkId {
            let network = try await self.services.networks.usable(access, id: networkId, parameter: "networkid")
            lists = lists.filter { $0.id == network.aclId && networkId == network.id }
        }
        if let id = request.id { lists = lists.filter { $0.id == id } }
        if let name = request.name?.lowercased() { lists = lists.filter { $0.name.lowercased() == name } }
        if let keyword = request.keyword?.lowercased() {
            lists = lists.filter { $0.name.lowercased().contains(keyword) }
        }
        return lists
    }

    /// Deletes an ACL list (checked with ``owned(_:id:parameter:system:)``, not a system list) with its items.
    /// - Throws: 536 while a tier uses it.
    public func deleteList(_ list: NetworkACLList) async throws {
        let users = try await self.store.list(Network.self, ListQuery(equals: [("acl_id", list.id)])).items
        guard users.isEmpty else {
            throw CloudError(
                .resourceInUse,
                csErrorCode: 4375,
                "Network ACL list \(list.name) is in use by network \(users[0].name); replace it first"
            )
        }
        for item in try await self.items(of: list.id) {
            try await self.store.delete(NetworkACLItem.self, id: item.id)
        }
        try await self.store.delete(NetworkACLList.self, id: list.id)
    }

    /// Checks a replaceNetworkACLList: the list (a system list or one the caller may access) and a tier the caller
    /// may use, of the list's VPC; apply it with ``replace(_:on:)``.
    /// - Parameters:
    ///   - aclId: the list's UUID.
    ///   - networkId: the tier's UUID (nil: 431 for the missing parameter).
    /// - Throws: 431 for unknown ids or a network that is not a tier of the list's VPC; 531 out of reach.
    public func prepareReplace(
        _ access: Access,
        aclId: String,
        networkId: String?
    ) async throws -> (list: NetworkACLList, network: Network) {
        let list = try await self.owned(access, id: aclId, parameter: "aclid", system: true)
        guard let networkId else { throw CloudError.missingParameter(access.command, "networkid") }
        let network = try await self.services.networks.usable(access, id: networkId, parameter: "networkid")
        guard let vpcId = network.vpcId, list.vpcId == nil || list.vpcId == vpcId else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Network ACL list \(list.name) can't be applied to network \(network.name): not a tier of its VPC"
            )
        }
        return (list, network)
    }

    /// Applies an ACL list to a tier (checked with ``prepareReplace(_:aclId:networkId:)``).
    /// - Throws: ``StoreError``.
    public func replace(_ list: NetworkACLList, on network: Network) async throws {
        try await self.store.setNetworkACL(networkId: network.id, aclId: list.id)
    }

    /// The items of an ACL list, in store order.
    /// - Throws: ``StoreError``.
    func items(of aclId: String) async throws -> [NetworkACLItem] {
        try await self.store.list(NetworkACLItem.self, ListQuery(equals: [("acl_id", aclId)])).items
    }
}

extension CloudServices {
    /// Network ACL lists and their items.
    public var networkACLs: NetworkACLService { NetworkACLService(services: self) }
}
