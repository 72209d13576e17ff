import CloudModel
import CloudStore
import Foundation

/// Affinity groups (CloudStack's `AffinityGroupService`): create, list, delete, and a stopped VM's groups. The
/// planner keeps a VM off the hosts of its anti-affinity groups' other VMs, and on the host of its affinity groups'
/// VMs.
public struct AffinityGroupService: Sendable {
    let services: CloudServices
    var store: CloudStore { self.services.store }

    /// Creates a group for the owner.
    /// - Parameters:
    ///   - access: the caller's access.
    ///   - owner: whom the group is for.
    ///   - name: the group's name, unique in the account.
    ///   - type: one of ``AffinityGroup/types``.
    ///   - description: its description (default: the name).
    /// - Returns: the group.
    /// - Throws: 431 for an unknown type or a name taken; ``Access`` errors.
    public func create(
        _ access: Access,
        owner: OwnerRequest,
        name: String,
        type: String,
        description: String?
    ) async throws -> AffinityGroup {
        let account = try await access.targetAccount(owner)
        guard AffinityGroup.types.contains(type) else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Unable to create affinity group, invalid affinity group type: \(type)"
            )
        }
        let group = AffinityGroup(
            id: UUID().uuidString.lowercased(),
            name: name,
            description: description ?? name,
            type: type,
            accountId: account.id,
            created: self.services.clock.now
        )
        try await self.services.insert(
            group,
            duplicate: "Unable to create affinity group, a group with name \(name) already exists."
        )
        return group
    }

    /// The groups the caller may see.
    /// - Parameters:
    ///   - access: the caller's access.
    ///   - request: paging, filters and scope.
    ///   - type: only the groups of this type.
    ///   - vmId: only the groups of this VM.
    /// - Throws: 431 for bad paging or scope, 531 out of reach.
    public func list(
        _ access: Access,
        _ request: ListRequest,
        type: String?,
        vmId: String?
    ) async throws -> ListPage<AffinityGroup> {
        var filters: [(column: String, value: String)] = []
        if let type { filters.append(("type", type)) }
        var query = try await access.scopedQuery(request, filters)
        if let vmId {
            query.idIn = try await self.store.members(.affinityGroup, vmIds: [vmId]).map(\.groupId)
        }
        return try await self.store.list(AffinityGroup.self, query)
    }

    /// The group named by UUID (parameter `id`), or by name in the owner's account, checked for access.
    /// - Throws: 431 when neither is given or the group is unknown, 531 out of reach; ``Access`` errors.
    public func group(_ access: Access, id: String?, name: String?, owner: OwnerRequest) async throws -> AffinityGroup {
        let group: AffinityGroup
        if let id {
            guard let found = try await self.store.get(AffinityGroup.self, id: id) else {
                throw access.unknown("id", id)
            }
            group = found
        } else if let name {
            let account = try await access.targetAccount(owner)
            guard
                let found = try await self.store.list(
                    AffinityGroup.self,
                    ListQuery(equals: [("account_id", account.id), ("name", name)])
                ).items.first
            else { throw access.unknown("name", name) }
            group = found
        } else {
            throw CloudError(.paramError, csErrorCode: 4350, "Either the affinity group's name or id is required")
        }
        guard try await access.mayAccess(accountId: group.accountId) else {
            throw Access.permissionDenied(
                "Account \(access.caller.account.name) does not have permission to operate on affinity group \(group.id)"
            )
        }
        return group
    }

    /// The group to delete, checked: no VM may be in it. Delete it with ``delete(id:)``.
    /// - Throws: 436 while VMs are in it; ``group(_:id:name:owner:)`` errors.
    public func prepareDelete(
        _ access: Access,
        id: String?,
        name: String?,
        owner: OwnerRequest
    ) async throws -> AffinityGroup {
        let group = try await self.group(access, id: id, name: name, owner: owner)
        let members = try await self.store.members(.affinityGroup, groupIds: [group.id])
        guard members.isEmpty else {
            throw CloudError(
                .resourceInUse,
                csErrorCode: 4375,
                "Cannot delete affinity group \(group.name): \(members.count) virtual machine(s) are in it"
            )
        }
        return group
    }

    /// Deletes a group.
    /// - Throws: ``StoreError``.
    public func delete(id: String) async throws {
        try await self.store.delete(AffinityGroup.self, id: id)
    }

    /// The member VMs of `groups`, by group UUID, in the order they joined (no query for no groups).
    /// - Throws: ``StoreError``.
    public func members(of groups: [AffinityGroup]) async throws -> [String: [String]] {
        guard !groups.isEmpty else { return [:] }
        var members: [String: [String]] = [:]
        for (groupId, vmId) in try await self.store.members(.affinityGroup, groupIds: groups.map(\.id)) {
            members[groupId, default: []].append(vmId)
        }
        return members
    }

    /// A stopped VM and the groups it is to be in instead of its current ones (updateVMAffinityGroup); apply them
    /// with ``assign(_:to:)``.
    /// - Parameters:
    ///   - access: the caller's access.
    ///   - vmId: the VM's UUID.
    ///   - ids: the groups' UUIDs (`affinitygroupids`).
    ///   - names: the groups' names (`affinitygroupnames`).
    /// - Throws: 431 for a VM that is not stopped or groups that are not its owner's; ``Access`` errors.
    public func prepareUpdate(
        _ access: Access,
        vmId: String,
        ids: [String],
        names: [String]
    ) async throws -> (vm: VirtualMachine, groups: [AffinityGroup]) {
        let vm = try await access.virtualMachine(id: vmId)
        guard vm.state == .stopped else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Unable to update affinity groups of VM \(vm.name): the VM must be Stopped (it is \(vm.state.rawValue))"
            )
        }
        guard try await self.store.get(Account.self, id: vm.accountId) != nil,
            try await self.store.get(Zone.self, id: vm.zoneId) != nil
        else { throw CloudError(.internalError, "the VM's account or zone is missing") }
        let groups = try await self.resolve(access, ids: ids, names: names, accountId: vm.accountId)
        return (vm, groups)
    }

    /// Replaces a VM's groups.
    /// - Throws: ``StoreError``.
    public func assign(_ groups: [AffinityGroup], to vmId: String) async throws {
        for (groupId, _) in try await self.store.members(.affinityGroup, vmIds: [vmId]) {
            try await self.store.removeMembers(.affinityGroup, groupId: groupId, vmIds: [vmId])
        }
        try await self.join(vmId: vmId, groups: groups)
    }
}

extension CloudServices {
    /// Affinity groups.
    public var affinityGroups: AffinityGroupService { AffinityGroupService(services: self) }
}
