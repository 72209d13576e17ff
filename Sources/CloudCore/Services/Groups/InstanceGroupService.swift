import CloudModel
import CloudStore
import Foundation

/// Instance groups (CloudStack's `createVmGroup`, `updateVmGroup`, `deleteVmGroup` and `addInstanceToGroup` in
/// `UserVmManagerImpl`): names an account gives sets of its VMs. Names are unique in the account without regard to
/// case (CloudStack's `isNameUnique` query runs under MySQL's case-insensitive collation); a VM is in at most one
/// group, and deploying or updating a VM with `group=NAME` creates the group when the account has none of that name.
public struct InstanceGroupService: Sendable {
    let services: CloudServices
    var store: CloudStore { self.services.store }

    /// Creates a group for the owner (`account`/`domainid` or `projectid`, else the caller).
    /// - Parameters:
    ///   - access: the caller's access.
    ///   - owner: whom the group is for.
    ///   - name: the group's name.
    /// - Returns: the group.
    /// - Throws: 431 for a name the account already uses; ``Access`` errors for an owner out of reach.
    public func create(_ access: Access, owner: OwnerRequest, name: String) async throws -> InstanceGroup {
        let account = try await access.targetAccount(owner)
        return try await self.create(name: name, account: account)
    }

    /// Creates a group in `account`, refusing a name it already uses in any case.
    func create(name: String, account: Account) async throws -> InstanceGroup {
        guard try await self.named(name, accountId: account.id) == nil else {
            throw Self.duplicate(name, account: account)
        }
        let group = InstanceGroup(
            id: UUID().uuidString.lowercased(),
            name: name,
            accountId: account.id,
            created: self.services.clock.now
        )
        try await self.services.insert(group, duplicate: Self.duplicate(name, account: account).text)
        return group
    }

    /// CloudStack's refusal of a name taken in the account.
    static func duplicate(_ name: String, account: Account) -> CloudError {
        CloudError(
            .paramError,
            csErrorCode: 4350,
            "Unable to create vm group, a group with name \(name) already exists for account \(account.name)"
        )
    }

    /// The account's group of this name, in any case.
    func named(_ name: String, accountId: String) async throws -> InstanceGroup? {
        var query = ListQuery(equals: [("account_id", accountId)])
        query.equalsIgnoringCase = [("name", name)]
        return try await self.store.list(InstanceGroup.self, query).items.first
    }

    /// The groups the caller may see (listInstanceGroups): its own, a domain admin's subtree or the root admin's
    /// cloud with `listall`, a project's with `projectid`; `name` matches in any case, `keyword` a part of it.
    /// - Throws: 431 for bad paging or scope, 531 out of reach.
    public func list(_ access: Access, _ request: ListRequest) async throws -> ListPage<InstanceGroup> {
        try await self.store.list(InstanceGroup.self, try await access.scopedQuery(request))
    }

    /// The group of this UUID (parameter `id`), checked for access.
    /// - Throws: 431 when unknown, 531 out of reach.
    public func group(_ access: Access, id: String) async throws -> InstanceGroup {
        guard let group = try await self.store.get(InstanceGroup.self, id: id) else { throw access.unknown("id", id) }
        guard try await access.mayAccess(accountId: group.accountId) else {
            throw Access.permissionDenied(
                "Account \(access.caller.account.name) does not have permission to operate on vm group \(group.id)"
            )
        }
        return group
    }

    /// Renames a group (updateInstanceGroup); no name leaves it as it is.
    /// - Throws: 431 for an unknown group or a name another of the account's groups has; 531 out of reach.
    public func update(_ access: Access, id: String, name: String?) async throws -> InstanceGroup {
        var group = try await self.group(access, id: id)
        guard let name, name != group.name else { return group }
        if let other = try await self.named(name, accountId: group.accountId), other.id != group.id {
            let account = try await self.store.get(Account.self, id: group.accountId)
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Unable to update vm group, a group with name \(name) already exists for account \(account?.name ?? "")"
            )
        }
        group.name = name
        try await self.store.replace(group, id: group.id)
        return group
    }

    /// Deletes a group; its VMs stay, in no group (deleteInstanceGroup).
    /// - Throws: 431 when unknown, 531 out of reach.
    public func delete(_ access: Access, id: String) async throws {
        let group = try await self.group(access, id: id)
        try await self.store.deleteMemberships(.instanceGroup, groupId: group.id)
        try await self.store.delete(InstanceGroup.self, id: group.id)
    }

    /// Puts a VM in its account's group `name` (created when the account has none of that name), out of any group
    /// it was in; an empty name takes it out of its group (CloudStack's `addInstanceToGroup`).
    /// - Parameters:
    ///   - vm: the VM.
    ///   - name: the group's name.
    /// - Throws: ``StoreError``; 530 when the VM's account is gone.
    public func assign(_ vm: VirtualMachine, toGroupNamed name: String) async throws {
        for (groupId, _) in try await self.store.members(.instanceGroup, vmIds: [vm.id]) {
            try await self.store.removeMembers(.instanceGroup, groupId: groupId, vmIds: [vm.id])
        }
        guard !name.isEmpty else { return }
        let group: InstanceGroup
        if let found = try await self.named(name, accountId: vm.accountId) {
            group = found
        } else {
            guard let account = try await self.store.get(Account.self, id: vm.accountId) else {
                throw CloudError(.internalError, "the VM's account is missing")
            }
            do {
                group = try await self.create(name: name, account: account)
            } catch let error as CloudError where error.code == .paramError {
                // Another deploy created the group meanwhile: join it.
                guard let raced = try await self.named(name, accountId: vm.accountId) else { throw error }
                group = raced
            }
        }
        try await self.store.addMembers(.instanceGroup, groupId: group.id, vmIds: [vm.id])
    }

    /// The groups of these VMs, by VM UUID (one query for the memberships, one for the groups when there are any).
    /// - Throws: ``StoreError``.
    public func groups(ofVMs vmIds: [String]) async throws -> [String: InstanceGroup] {
        guard !vmIds.isEmpty else { return [:] }
        let pairs = try await self.store.members(.instanceGroup, vmIds: vmIds)
        guard !pairs.isEmpty else { return [:] }
        let groups = Dictionary(
            try await self.store.list(InstanceGroup.self, ListQuery(idIn: Array(Set(pairs.map(\.groupId))))).items
                .map { ($0.id, $0) }
        ) { first, _ in first }
        var result: [String: InstanceGroup] = [:]
        for (groupId, vmId) in pairs { result[vmId] = groups[groupId] }
        return result
    }

    /// The VMs of a group (the `groupid` filter of listVirtualMachines).
    /// - Throws: ``StoreError``.
    public func members(of groupId: String) async throws -> [String] {
        try await self.store.members(.instanceGroup, groupIds: [groupId]).map(\.vmId)
    }
}

extension CloudServices {
    /// Instance groups.
    public var instanceGroups: InstanceGroupService { InstanceGroupService(services: self) }
}
