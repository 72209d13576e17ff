import CloudModel
import CloudStore
import Foundation

/// Security groups (CloudStack's `SecurityGroupManager`): create, list, delete, and the groups' ingress and egress
/// rules (``authorize(_:_:)``, ``rule(_:id:type:)``). Every account has a `default` group, created when first
/// needed (``ensureDefault(accountId:)``).
public struct SecurityGroupService: Sendable {
    /// The name of every account's default group.
    public static let defaultName = "default"

    let services: CloudServices
    var store: CloudStore { self.services.store }

    /// The account's `default` group, created on first use (CloudStack creates it with the account).
    /// - Parameter accountId: the account's UUID.
    /// - Returns: the group.
    /// - Throws: ``StoreError``.
    @discardableResult
    public func ensureDefault(accountId: String) async throws -> SecurityGroup {
        let query = ListQuery(equals: [("account_id", accountId), ("name", Self.defaultName)])
        if let group = try await self.store.list(SecurityGroup.self, query).items.first { return group }
        let group = SecurityGroup(
            id: UUID().uuidString.lowercased(),
            name: Self.defaultName,
            description: "Default Security Group",
            accountId: accountId,
            created: self.services.clock.now
        )
        do {
            try await self.store.insert(group)
        } catch {
            // Another request created it at the same time.
            guard error.kind == .duplicate, let group = try await self.store.list(SecurityGroup.self, query).items.first
            else {
                throw error
            }
            return group
        }
        return group
    }

    /// Creates a group for the owner (and the owner's `default` group first, when it has none).
    /// - Parameters:
    ///   - access: the caller's access.
    ///   - owner: whom the group is for.
    ///   - name: the group's name, unique in the account.
    ///   - description: its description (default: the name).
    /// - Returns: the group.
    /// - Throws: 431 when the name is taken; ``Access`` errors.
    public func create(
        _ access: Access,
        owner: OwnerRequest,
        name: String,
        description: String?
    ) async throws -> SecurityGroup {
        let account = try await access.targetAccount(owner)
        try await self.ensureDefault(accountId: account.id)
        let group = SecurityGroup(
            id: UUID().uuidString.lowercased(),
            name: name,
            description: description ?? name,
            accountId: account.id,
            created: self.services.clock.now
        )
        try await self.services.insert(
            group,
            duplicate: "Unable to create security group, a group with name \(name) already exists."
        )
        return group
    }

    /// The groups the caller may see (creating the caller's `default` group first, when it has none).
    /// - Parameters:
    ///   - access: the caller's access.
    ///   - request: paging, filters and scope.
    ///   - name: only the groups of this name (`securitygroupname`).
    ///   - vmId: only the groups of this VM.
    /// - Throws: 431 for bad paging or scope, 531 out of reach.
    public func list(
        _ access: Access,
        _ request: ListRequest,
        name: String?,
        vmId: String?
    ) async throws -> ListPage<SecurityGroup> {
        try await self.ensureDefault(accountId: access.caller.account.id)
        var filters: [(column: String, value: String)] = []
        if let name { filters.append(("name", name)) }
        var query = try await access.scopedQuery(request, filters)
        if let vmId {
            query.idIn = try await self.store.members(.securityGroup, vmIds: [vmId]).map(\.groupId)
        }
        return try await self.store.list(SecurityGroup.self, query)
    }

    /// The group named by UUID, or by name in the owner's account, checked for access.
    /// - Parameters:
    ///   - access: the caller's access.
    ///   - id: the group's UUID; wins over `name`.
    ///   - name: the group's name (`default` is created when missing).
    ///   - owner: the account `name` is looked up in.
    ///   - idParameter: the parameter `id` came in, for the error texts.
    /// - Throws: 431 when neither is given or the group is unknown, 531 out of reach; ``Access`` errors.
    public func group(
        _ access: Access,
        id: String?,
        name: String?,
        owner: OwnerRequest,
        idParameter: String = "securitygroupid"
    ) async throws -> SecurityGroup {
        let group: SecurityGroup
        if let id {
            guard let found = try await self.store.get(SecurityGroup.self, id: id) else {
                throw access.unknown(idParameter, id)
            }
            group = found
        } else if let name {
            let account = try await access.targetAccount(owner)
            if name == Self.defaultName { try await self.ensureDefault(accountId: account.id) }
            guard let found = try await self.group(named: name, accountId: account.id) else {
                throw CloudError(.paramError, csErrorCode: 4350, "Unable to find security group \(name)")
            }
            group = found
        } else {
            throw CloudError.missingParameter(access.command, idParameter)
        }
        try await self.checkAccess(access, group)
        return group
    }

    /// Deletes a group without VMs (by UUID, or by name in the owner's account) and its rules.
    /// - Throws: 431 for the `default` group or an unknown one, 436 while VMs belong to it; ``group(_:id:name:owner:idParameter:)``
    ///   errors.
    public func delete(_ access: Access, id: String?, name: String?, owner: OwnerRequest) async throws {
        let group = try await self.group(access, id: id, name: name, owner: owner, idParameter: "id")
        guard group.name != Self.defaultName else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "The network group default is a default security group, cannot remove"
            )
        }
        let members = try await self.store.members(.securityGroup, groupIds: [group.id])
        guard members.isEmpty else {
            throw CloudError(
                .resourceInUse,
                csErrorCode: 4375,
                "Cannot delete group when there are VMs in it: \(members.count) virtual machine(s) belong to \(group.name)"
            )
        }
        try await self.store.deleteSecurityGroupRules(securityGroupId: group.id)
        try await self.store.delete(SecurityGroup.self, id: group.id)
    }

    /// The rules and member VMs of `groups`, for their responses (no query for no groups).
    /// - Throws: ``StoreError``.
    public func details(of groups: [SecurityGroup]) async throws -> SecurityGroupDetails {
        guard !groups.isEmpty else { return SecurityGroupDetails() }
        var ruleQuery = ListQuery(idIn: groups.map(\.id))
        ruleQuery.inColumn = "security_group_id"
        let rules = Dictionary(
            grouping: try await self.store.list(SecurityGroupRule.self, ruleQuery).items,
            by: \.securityGroupId
        )
        var members: [String: [String]] = [:]
        for (groupId, vmId) in try await self.store.members(.securityGroup, groupIds: groups.map(\.id)) {
            members[groupId, default: []].append(vmId)
        }
        return SecurityGroupDetails(rules: rules, members: members)
    }

    func group(named name: String, accountId: String) async throws -> SecurityGroup? {
        try await self.store.list(
            SecurityGroup.self,
            ListQuery(equals: [("account_id", accountId), ("name", name)])
        ).items.first
    }

    func checkAccess(_ access: Access, _ group: SecurityGroup) async throws {
        guard try await access.mayAccess(accountId: group.accountId) else {
            throw Access.permissionDenied(
                "Account \(access.caller.account.name) does not have permission to operate on security group \(group.id)"
            )
        }
    }
}

/// The rules and member VMs of a page of security groups.
public struct SecurityGroupDetails: Sendable {
    /// Rules by group UUID.
    public var rules: [String: [SecurityGroupRule]]
    /// Member VM UUIDs by group UUID, in the order they joined.
    public var members: [String: [String]]

    /// Creates details.
    public init(rules: [String: [SecurityGroupRule]] = [:], members: [String: [String]] = [:]) {
        self.rules = rules
        self.members = members
    }
}

extension CloudServices {
    /// Security groups.
    public var securityGroups: SecurityGroupService { SecurityGroupService(services: self) }
}
