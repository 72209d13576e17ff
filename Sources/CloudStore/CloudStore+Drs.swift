import CloudModel
import SQLiteKit

extension CloudStore {
    /// Moves a host's status with a compare-and-set on the statuses the caller accepts as the starting point (the
    /// sources ``HostStateMachine/sources(of:to:)`` gives for the move).
    /// - Parameters:
    ///   - id: the host.
    ///   - from: the statuses from which the move is allowed.
    ///   - to: the new status.
    /// - Returns: true when the row changed.
    /// - Throws: ``StoreError``.
    public func transitionHostStatus(
        id: String,
        from: some Collection<HostStatus>,
        to: HostStatus
    ) async throws(StoreError) -> Bool {
        var allowed = SQLQueryString("")
        for (index, status) in from.enumerated() {
            if index > 0 { allowed.appendInterpolation(unsafeRaw: ", ") }
            allowed.appendInterpolation(bind: status.rawValue)
        }
        if from.isEmpty { allowed.appendInterpolation(unsafeRaw: "NULL") }
        let changed = try await self.guarded("update host status") {
            try await self.sql.raw(
                """
                UPDATE host SET state = \(bind: to.rawValue), version = version + 1 WHERE id = \(bind: id) \
                AND state IN (\(allowed)) RETURNING id
                """
            ).first(decodingColumn: "id", as: String.self) != nil
        }
        if changed { self.hostChanges.changed(id) }
        return changed
    }

    /// The VMs whose `host_id` is one of the given hosts.
    /// - Parameter hostIds: the hosts.
    /// - Returns: the VMs, in insertion order.
    /// - Throws: ``StoreError``.
    public func virtualMachines(onHosts hostIds: [String]) async throws(StoreError) -> [VirtualMachine] {
        var query = ListQuery(idIn: hostIds)
        query.inColumn = "host_id"
        return try await self.list(VirtualMachine.self, query).items
    }

    /// Sets a stored DRS plan's status.
    /// - Parameters:
    ///   - id: the plan.
    ///   - status: the new status.
    /// - Throws: ``StoreError``.
    public func updateDrsPlan(id: String, status: ClusterDrsPlan.Status) async throws(StoreError) {
        try await self.guarded("update drs plan") {
            try await self.sql.raw(
                "UPDATE cluster_drs_plan SET status = \(bind: status.rawValue) WHERE id = \(bind: id)"
            ).run()
        }
    }

    /// Records a plan migration's job and its status.
    /// - Parameters:
    ///   - id: the migration.
    ///   - jobId: its job.
    ///   - status: the job's status name.
    /// - Throws: ``StoreError``.
    public func updateDrsPlanMigration(id: String, jobId: String, status: String) async throws(StoreError) {
        try await self.guarded("update drs plan migration") {
            try await self.sql.raw(
                """
                UPDATE cluster_drs_plan_migration SET job_id = \(bind: jobId), status = \(bind: status) \
                WHERE id = \(bind: id)
                """
            ).run()
        }
    }

    /// The migrations of some plans, in plan order.
    /// - Parameter planIds: the plans.
    /// - Returns: plan id → its migrations.
    /// - Throws: ``StoreError``.
    public func drsPlanMigrations(of planIds: [String]) async throws(StoreError) -> [String: [ClusterDrsPlanMigration]]
    {
        var query = ListQuery(idIn: planIds)
        query.inColumn = "plan_id"
        let rows = try await self.list(ClusterDrsPlanMigration.self, query).items
        return Dictionary(grouping: rows.sorted { $0.position < $1.position }, by: \.planId)
    }
}
