import CloudModel
import CloudStore

/// What deployVirtualMachine, updateVMAffinityGroup and the VM responses need of security and affinity groups:
/// resolving the groups a VM's owner names, recording a VM's memberships, and the groups of a page of VMs.
extension SecurityGroupService {
    /// The owner's groups named by UUID (`securitygroupids`) and by name (`securitygroupnames`), in that order.
    /// - Parameters:
    ///   - access: the caller's access (for the error texts).
    ///   - ids: the groups' UUIDs.
    ///   - names: the groups' names.
    ///   - accountId: the VM owner's UUID: only its groups are found.
    /// - Throws: 431 naming the first value that is not one of the owner's groups; ``StoreError``.
    public func resolve(
        _ access: Access,
        ids: [String],
        names: [String],
        accountId: String
    ) async throws -> [SecurityGroup] {
        try await self.services.ownedGroups(
            SecurityGroup.self,
            access,
            [("securitygroupids", "id", ids), ("securitygroupnames", "name", names)],
            accountId: accountId
        )
    }

    /// Adds a VM to groups.
    /// - Throws: ``StoreError``.
    public func join(vmId: String, groups: [SecurityGroup]) async throws {
        for group in groups { try await self.store.addMembers(.securityGroup, groupId: group.id, vmIds: [vmId]) }
    }

    /// The groups of each of these VMs, by VM UUID (one query, and one more only when some VM is in a group).
    /// - Throws: ``StoreError``.
    public func byVirtualMachine(_ vmIds: [String]) async throws -> [String: [SecurityGroup]] {
        try await self.services.groupsByVirtualMachine(SecurityGroup.self, .securityGroup, vmIds, id: \.id)
    }
}

extension AffinityGroupService {
    /// The owner's groups named by UUID (`affinitygroupids`) and by name (`affinitygroupnames`), in that order.
    /// - Parameters:
    ///   - access: the caller's access (for the error texts).
    ///   - ids: the groups' UUIDs.
    ///   - names: the groups' names.
    ///   - accountId: the VM owner's UUID: only its groups are found.
    /// - Throws: 431 naming the first value that is not one of the owner's groups; ``StoreError``.
    public func resolve(
        _ access: Access,
        ids: [String],
        names: [String],
        accountId: String
    ) async throws -> [AffinityGroup] {
        try await self.services.ownedGroups(
            AffinityGroup.self,
            access,
            [("affinitygroupids", "id", ids), ("affinitygroupnames", "name", names)],
            accountId: accountId
        )
    }

    /// Adds a VM to groups.
    /// - Throws: ``StoreError``.
    public func join(vmId: String, groups: [AffinityGroup]) async throws {
        for group in groups { try await self.store.addMembers(.affinityGroup, groupId: group.id, vmIds: [vmId]) }
    }

    /// The groups of each of these VMs, by VM UUID (one query, and one more only when some VM is in a group).
    /// - Throws: ``StoreError``.
    public func byVirtualMachine(_ vmIds: [String]) async throws -> [String: [AffinityGroup]] {
        try await self.services.groupsByVirtualMachine(AffinityGroup.self, .affinityGroup, vmIds, id: \.id)
    }
}

extension CloudServices {
    /// The rows of `type` owned by `accountId` that each value names through its column, 431 naming the first
    /// parameter value that names none.
    func ownedGroups<Row: StoreRow>(
        _ type: Row.Type,
        _ access: Access,
        _ lookups: [(parameter: String, column: String, values: [String])],
        accountId: String
    ) async throws -> [Row] {
        var found: [Row] = []
        for (parameter, column, values) in lookups {
            for value in values {
                guard
                    let row = try await self.store.list(
                        Row.self,
                        ListQuery(equals: [("account_id", accountId), (column, value)])
                    ).items.first
                else { throw access.unknown(parameter, value) }
                found.append(row)
            }
        }
        return found
    }

    /// The groups of each VM, by VM UUID, in the order the VMs joined them.
    func groupsByVirtualMachine<Row: StoreRow>(
        _ type: Row.Type,
        _ membership: Membership,
        _ vmIds: [String],
        id: KeyPath<Row, String>
    ) async throws -> [String: [Row]] {
        guard !vmIds.isEmpty else { return [:] }
        let pairs = try await self.store.members(membership, vmIds: vmIds)
        guard !pairs.isEmpty else { return [:] }
        let rows = try await self.store.list(Row.self, ListQuery(idIn: Array(Set(pairs.map(\.groupId))))).items
        let byId = Dictionary(rows.map { ($0[keyPath: id], $0) }) { first, _ in first }
        var result: [String: [Row]] = [:]
        for (groupId, vmId) in pairs {
            if let row = byId[groupId] { result[vmId, default: []].append(row) }
        }
        return result
    }
}
