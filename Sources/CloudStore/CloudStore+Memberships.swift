import CloudModel
import SQLiteKit

/// The many-to-many tables between VMs and the groups or rules they belong to.
public enum Membership: Sendable, CaseIterable {
    /// VMs behind a load-balancer rule.
    case loadBalancer
    /// VMs in a security group.
    case securityGroup
    /// VMs in an affinity group.
    case affinityGroup
    /// VMs in an instance group (at most one group per VM).
    case instanceGroup

    var table: String {
        switch self {
        case .loadBalancer: "load_balancer_vm_map"
        case .securityGroup: "security_group_vm_map"
        case .affinityGroup: "affinity_group_vm_map"
        case .instanceGroup: "instance_group_vm_map"
        }
    }

    var groupColumn: String {
        switch self {
        case .loadBalancer: "rule_id"
        case .securityGroup: "security_group_id"
        case .affinityGroup: "affinity_group_id"
        case .instanceGroup: "instance_group_id"
        }
    }
}

extension CloudStore {
    /// Adds VMs to a group (already present members are kept).
    /// - Parameters:
    ///   - membership: the kind of group.
    ///   - groupId: the group or rule.
    ///   - vmIds: the VMs.
    /// - Throws: ``StoreError``.
    public func addMembers(_ membership: Membership, groupId: String, vmIds: [String]) async throws(StoreError) {
        for vmId in vmIds {
            try await self.guarded("add member") {
                try await self.sql.raw(
                    """
                    INSERT INTO \(unsafeRaw: membership.table) (\(unsafeRaw: membership.groupColumn), vm_id) \
                    VALUES (\(bind: groupId), \(bind: vmId)) ON CONFLICT DO NOTHING
                    """
                ).run()
            }
        }
    }

    /// Removes VMs from a group.
    /// - Parameters:
    ///   - membership: the kind of group.
    ///   - groupId: the group or rule.
    ///   - vmIds: the VMs.
    /// - Throws: ``StoreError``.
    public func removeMembers(_ membership: Membership, groupId: String, vmIds: [String]) async throws(StoreError) {
        for vmId in vmIds {
            try await self.guarded("remove member") {
                try await self.sql.raw(
                    """
                    DELETE FROM \(unsafeRaw: membership.table) WHERE \(unsafeRaw: membership.groupColumn) = \
                    \(bind: groupId) AND vm_id = \(bind: vmId)
                    """
                ).run()
            }
        }
    }

    /// The (group, VM) pairs of the given groups, or of the given VMs.
    /// - Parameters:
    ///   - membership: the kind of group.
    ///   - groupIds: the groups (nil for any).
    ///   - vmIds: the VMs (nil for any).
    /// - Returns: the pairs, in insertion order.
    /// - Throws: ``StoreError``.
    public func members(
        _ membership: Membership,
        groupIds: [String]? = nil,
        vmIds: [String]? = nil
    ) async throws(StoreError) -> [(groupId: String, vmId: String)] {
        var query: SQLQueryString = """
            SELECT \(unsafeRaw: membership.groupColumn) AS g, vm_id FROM \(unsafeRaw: membership.table) WHERE 1 = 1
            """
        for (column, ids) in [(membership.groupColumn, groupIds), ("vm_id", vmIds)] {
            guard let ids else { continue }
            query.appendInterpolation(unsafeRaw: " AND \(column) IN (NULL")
            for id in ids {
                query.appendInterpolation(unsafeRaw: ", ")
                query.appendInterpolation(bind: id)
            }
            query.appendInterpolation(unsafeRaw: ")")
        }
        query.appendInterpolation(unsafeRaw: " ORDER BY rowid")
        let statement = query
        return try await self.guarded("read members") {
            try await self.sql.raw(statement).all().map { row in
                (try row.decode(column: "g", as: String.self), try row.decode(column: "vm_id", as: String.self))
            }
        }
    }

    /// Deletes a group's memberships (the group row itself is deleted by the caller).
    /// - Parameters:
    ///   - membership: the kind of group.
    ///   - groupId: the group.
    /// - Throws: ``StoreError``.
    public func deleteMemberships(_ membership: Membership, groupId: String) async throws(StoreError) {
        try await self.guarded("delete members") {
            try await self.sql.raw(
                """
                DELETE FROM \(unsafeRaw: membership.table) WHERE \(unsafeRaw: membership.groupColumn) = \
                \(bind: groupId)
                """
            ).run()
        }
    }

    /// Deletes every rule of a security group.
    /// - Parameter securityGroupId: the group whose rules go.
    /// - Throws: ``StoreError``.
    public func deleteSecurityGroupRules(securityGroupId: String) async throws(StoreError) {
        try await self.guarded("delete sg rules") {
            try await self.sql.raw(
                "DELETE FROM security_group_rule WHERE security_group_id = \(bind: securityGroupId)"
            ).run()
        }
    }
}

extension CloudStore {
    /// The hosts running (or holding) the other VMs of a VM's affinity groups, with each group's type, in one
    /// indexed query (empty at once for a VM in no group).
    /// - Parameter vmId: the VM.
    /// - Returns: (host, group type) pairs.
    /// - Throws: ``StoreError``.
    public func affinityHosts(vmId: String) async throws(StoreError) -> [(hostId: String, type: String)] {
        try await self.guarded("read affinity hosts") {
            try await self.sql.raw(
                """
                SELECT DISTINCT v.host_id AS host_id, g.type AS type FROM affinity_group_vm_map m \
                JOIN affinity_group g ON g.id = m.affinity_group_id \
                JOIN affinity_group_vm_map o ON o.affinity_group_id = m.affinity_group_id AND o.vm_id <> m.vm_id \
                JOIN vm_instance v ON v.id = o.vm_id \
                WHERE m.vm_id = \(bind: vmId) AND v.host_id IS NOT NULL
                """
            ).all().map { row in
                (try row.decode(column: "host_id", as: String.self), try row.decode(column: "type", as: String.self))
            }
        }
    }
}

extension CloudStore {
    /// The host anti-affinity groups with members placed in a cluster: for each group, the ids of its VMs that
    /// hold a host there (what cluster DRS must keep apart).
    /// - Parameter clusterId: the cluster.
    /// - Returns: groups of VM ids, each with at least one member.
    /// - Throws: ``StoreError``.
    public func antiAffinityGroups(clusterId: String) async throws(StoreError) -> [[String]] {
        let pairs = try await self.guarded("read anti-affinity groups") {
            try await self.sql.raw(
                """
                SELECT m.affinity_group_id AS group_id, m.vm_id AS vm_id FROM affinity_group_vm_map m \
                JOIN affinity_group g ON g.id = m.affinity_group_id \
                JOIN vm_instance v ON v.id = m.vm_id \
                JOIN host h ON h.id = v.host_id \
                WHERE g.type = 'host anti-affinity' AND h.cluster_id = \(bind: clusterId) \
                ORDER BY m.affinity_group_id, m.vm_id
                """
            ).all().map { row in
                (try row.decode(column: "group_id", as: String.self), try row.decode(column: "vm_id", as: String.self))
            }
        }
        var groups: [String: [String]] = [:]
        var order: [String] = []
        for (group, vm) in pairs {
            if groups[group] == nil { order.append(group) }
            groups[group, default: []].append(vm)
        }
        return order.compactMap { groups[$0] }
    }
}
