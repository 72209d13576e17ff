import CloudModel
import CloudStore
import Foundation

extension NetworkACLService {
    /// A new ACL item, its ports and CIDRs already parsed.
    public struct ItemRequest: Sendable {
        /// The rule's number in its list (default: one past the highest).
        public var number: Int?
        /// The protocol (`tcp`, `udp`, `icmp`, `all`, ...).
        public var protocolName: String
        /// The first port.
        public var startPort: Int?
        /// The last port.
        public var endPort: Int?
        /// The CIDRs traffic is allowed from or to.
        public var cidrs: [String]
        /// `allow` or `deny` (any case; default allow).
        public var action: String?
        /// `ingress` or `egress` (any case; default ingress).
        public var trafficType: String?

        /// Creates a request.
        public init(
            number: Int? = nil,
            protocolName: String,
            startPort: Int? = nil,
            endPort: Int? = nil,
            cidrs: [String],
            action: String? = nil,
            trafficType: String? = nil
        ) {
            self.number = number
            self.protocolName = protocolName
            self.startPort = startPort
            self.endPort = endPort
            self.cidrs = cidrs
            self.action = action
            self.trafficType = trafficType
        }
    }

    /// Adds an item to an ACL list (checked with ``owned(_:id:parameter:system:)``, not a system list).
    /// - Throws: 431 for a bad action or traffic type, or a number the list already holds.
    public func createItem(
        _ access: Access,
        in list: NetworkACLList,
        _ request: ItemRequest
    ) async throws
        -> NetworkACLItem
    {
        let action = (request.action ?? "allow").lowercased()
        guard ["allow", "deny"].contains(action) else {
            throw CloudError.invalidParameter(access.command, "action", action)
        }
        let traffic = (request.trafficType ?? "ingress").lowercased()
        guard ["ingress", "egress"].contains(traffic) else {
            throw CloudError.invalidParameter(access.command, "traffictype", traffic)
        }
        let existing = try await self.items(of: list.id)
        let number = request.number ?? ((existing.map(\.number).max() ?? 0) + 1)
        guard !existing.contains(where: { $0.number == number }) else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "ACL item with number \(number) already exists in ACL: \(list.name)"
            )
        }
        let item = NetworkACLItem(
            id: UUID().uuidString.lowercased(),
            aclId: list.id,
            number: number,
            protocolName: request.protocolName,
            startPort: request.startPort,
            endPort: request.endPort,
            cidrList: request.cidrs.joined(separator: ","),
            action: action == "allow" ? "Allow" : "Deny",
            trafficType: traffic == "ingress" ? "Ingress" : "Egress"
        )
        try await self.store.insert(item)
        return item
    }

    /// What listNetworkACLs filters on besides the list (`aclid`) or the tier (`networkid`).
    public struct ItemFilter: Sendable {
        /// `id`.
        public var id: String?
        /// `traffictype` (any case).
        public var trafficType: String?
        /// `protocol`.
        public var protocolName: String?
        /// `action` (any case).
        public var action: String?

        /// Creates a filter; every field is optional.
        public init(id: String? = nil, trafficType: String? = nil, protocolName: String? = nil, action: String? = nil) {
            self.id = id
            self.trafficType = trafficType
            self.protocolName = protocolName
            self.action = action
        }
    }

    /// The items of ACL lists (listNetworkACLs), by list and number: of the list `aclId` (a system list or one the
    /// caller may access), else of the tier `networkId`'s list (none when it has no list), else, as CloudStack, of
    /// every list the caller may see in `scope` (the system lists and those of its VPCs).
    /// - Throws: 431 for unknown ids, 531 out of reach.
    public func items(
        _ access: Access,
        aclId: String?,
        networkId: String?,
        _ filter: ItemFilter,
        scope: ListRequest = ListRequest()
    ) async throws -> [NetworkACLItem] {
        let listIds: [String]
        if let aclId {
            listIds = [try await self.owned(access, id: aclId, parameter: "aclid", system: true).id]
        } else if let networkId {
            guard
                let id = try await self.services.networks.usable(access, id: networkId, parameter: "networkid").aclId
            else { return [] }
            listIds = [id]
        } else {
            // The request's id names an item, not a list.
            var lists = scope
            (lists.id, lists.ids, lists.name, lists.keyword) = (nil, nil, nil, nil)
            listIds = try await self.lists(access, lists, vpcId: nil, networkId: nil).map(\.id)
        }
        var items: [NetworkACLItem] = []
        for listId in listIds {
            items += try await self.items(of: listId).sorted { $0.number < $1.number }
        }
        if let traffic = filter.trafficType {
            items = items.filter { $0.trafficType.lowercased() == traffic.lowercased() }
        }
        if let proto = filter.protocolName { items = items.filter { $0.protocolName == proto.lowercased() } }
        if let action = filter.action {
            items = items.filter { $0.action.lowercased() == action.lowercased() }
        }
        if let id = filter.id { items = items.filter { $0.id == id } }
        return items
    }

    /// The ACL item with this UUID, when the caller may change its list (not a system list); delete it with
    /// ``deleteItem(_:)``.
    /// - Throws: 431 when unknown or of a system list, 531 out of reach.
    public func deletableItem(_ access: Access, id: String) async throws -> NetworkACLItem {
        guard let item = try await self.store.get(NetworkACLItem.self, id: id) else {
            throw access.unknown("id", id)
        }
        guard let list = try await self.store.get(NetworkACLList.self, id: item.aclId) else {
            throw access.unknown("id", item.id)
        }
        _ = try await self.check(access, list, system: false)
        return item
    }

    /// Deletes an ACL item.
    /// - Throws: ``StoreError``.
    public func deleteItem(_ item: NetworkACLItem) async throws {
        try await self.store.delete(NetworkACLItem.self, id: item.id)
    }
}
