import CloudModel
import SQLiteKit

extension CloudStore {
    /// Every host of a zone, in the store's order (the order `firstfit` keeps).
    /// - Parameter zoneId: the zone.
    /// - Returns: the hosts.
    /// - Throws: ``StoreError``.
    public func hosts(inZone zoneId: String) async throws(StoreError) -> [Host] {
        try await self.list(Host.self, ListQuery(equals: [("zone_id", zoneId)])).items
    }

    /// The hosts with the given ids.
    /// - Parameter ids: the hosts.
    /// - Returns: those that exist.
    /// - Throws: ``StoreError``.
    public func hosts(ids: Set<String>) async throws(StoreError) -> [Host] {
        try await self.list(Host.self, ListQuery(idIn: Array(ids))).items
    }

    /// How many VMs of an account each host of a zone runs (or holds for a start under way).
    /// - Parameters:
    ///   - accountId: the account.
    ///   - zoneId: the zone.
    /// - Returns: host id → count; hosts without the account's VMs are absent.
    /// - Throws: ``StoreError``.
    public func virtualMachineCountByHost(accountId: String, zoneId: String) async throws(StoreError) -> [String: Int] {
        try await self.guarded("count vms by host") {
            let rows = try await self.sql.raw(
                """
                SELECT host_id, count(*) AS n FROM vm_instance WHERE account_id = \(bind: accountId) \
                AND zone_id = \(bind: zoneId) AND host_id IS NOT NULL GROUP BY host_id
                """
            ).all()
            var counts: [String: Int] = [:]
            for row in rows {
                counts[try row.decode(column: "host_id", as: String.self)] = try row.decode(column: "n", as: Int.self)
            }
            return counts
        }
    }

    /// Updates a host's administrative fields.
    /// - Parameters:
    ///   - id: the host.
    ///   - resourceState: the new resource state, or nil to keep it.
    ///   - hostTags: the new comma-separated tags, or nil to keep them.
    /// - Throws: ``StoreError``.
    public func updateHost(id: String, resourceState: String? = nil, hostTags: String? = nil) async throws(StoreError) {
        try await self.guarded("update host") {
            if let resourceState {
                try await self.sql.raw(
                    "UPDATE host SET resource_state = \(bind: resourceState) WHERE id = \(bind: id)"
                ).run()
            }
            if let hostTags {
                try await self.sql.raw("UPDATE host SET host_tags = \(bind: hostTags) WHERE id = \(bind: id)").run()
            }
        }
        self.hostChanges.changed(id)
    }

    /// Moves a host's resource state with a compare-and-set on the state the caller saw.
    /// - Parameters:
    ///   - id: the host.
    ///   - from: the state the caller saw.
    ///   - to: the new state.
    /// - Returns: true when this caller won.
    /// - Throws: ``StoreError``.
    public func transitionHost(id: String, from: String, to: String) async throws(StoreError) -> Bool {
        defer { self.hostChanges.changed(id) }
        return try await self.guarded("update host state") {
            try await self.sql.raw(
                """
                UPDATE host SET resource_state = \(bind: to) WHERE id = \(bind: id) \
                AND resource_state = \(bind: from) RETURNING id
                """
            ).first(decodingColumn: "id", as: String.self) != nil
        }
    }

    /// Deletes a host row.
    /// - Parameter id: the host.
    /// - Throws: ``StoreError``.
    public func deleteHost(id: String) async throws(StoreError) {
        try await self.guarded("delete host") {
            try await self.sql.raw("DELETE FROM host WHERE id = \(bind: id)").run()
        }
        self.hostChanges.changedAll()
    }

    /// Records that a running VM now runs on another host (a live migration's last step), with the VM's
    /// `update_count` compare-and-set.
    /// - Parameters:
    ///   - vm: the VM as the caller saw it.
    ///   - hostId: the new host.
    /// - Returns: true when this caller won.
    /// - Throws: ``StoreError``.
    public func moveVirtualMachine(_ vm: VirtualMachine, to hostId: String) async throws(StoreError) -> Bool {
        try await self.guarded("move vm") {
            try await self.sql.raw(
                """
                UPDATE vm_instance SET host_id = \(bind: hostId), update_count = update_count + 1 \
                WHERE id = \(bind: vm.id) AND update_count = \(bind: vm.updateCount) RETURNING id
                """
            ).first(decodingColumn: "id", as: String.self) != nil
        }
    }
}

extension CloudStore {
    /// Moves many hosts' status at once, with the compare-and-set of
    /// ``transitionHostStatus(id:from:to:)``: one `UPDATE ... WHERE id IN (...)` for the batch (host HA handles the
    /// thousands of hosts of a dead agent process this way).
    /// - Parameters:
    ///   - ids: the hosts (a batch: at most a few thousand, each one a bound parameter).
    ///   - from: the statuses from which the move is allowed.
    ///   - to: the new status.
    /// - Returns: the ids of the rows that changed.
    /// - Throws: ``StoreError``.
    public func transitionHostStatuses(
        ids: [String],
        from: some Collection<HostStatus>,
        to: HostStatus
    ) async throws(StoreError) -> [String] {
        guard !ids.isEmpty, !from.isEmpty else { return [] }
        var allowed = SQLQueryString("")
        for (index, status) in from.enumerated() {
            if index > 0 { allowed.appendInterpolation(unsafeRaw: ", ") }
            allowed.appendInterpolation(bind: status.rawValue)
        }
        var idList = SQLQueryString("")
        for (index, id) in ids.enumerated() {
            if index > 0 { idList.appendInterpolation(unsafeRaw: ", ") }
            idList.appendInterpolation(bind: id)
        }
        let changed = try await self.guarded("update host statuses") {
            try await self.sql.raw(
                """
                UPDATE host SET state = \(bind: to.rawValue), version = version + 1 WHERE id IN (\(idList)) \
                AND state IN (\(allowed)) RETURNING id
                """
            ).all().map { try $0.decode(column: "id", as: String.self) }
        }
        for id in changed { self.hostChanges.changed(id) }
        return changed
    }
}
