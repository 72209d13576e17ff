import CloudModel
import SQLiteKit

/// A management server as recorded in the `mshost` table (so that servers that left still show, as Down).
public struct ManagementServerRow: Sendable, Hashable, Codable {
    /// The server's id.
    public var id: String
    /// Its name.
    public var name: String
    /// The address it serves on.
    public var serviceIp: String
    /// Its software version.
    public var version: String
    /// `Up` or `Down` as last recorded (the live state comes from ZooKeeper).
    public var state: String
    /// When it last started (seconds since 1970).
    public var lastStart: Double
    /// When it last stopped gracefully, if it did.
    public var lastStop: Double?

    /// Makes a row.
    /// - Parameters:
    ///   - id: the id.
    ///   - name: the name.
    ///   - serviceIp: the address.
    ///   - version: the version.
    ///   - state: the state.
    ///   - lastStart: the last start.
    ///   - lastStop: the last graceful stop.
    public init(
        id: String,
        name: String,
        serviceIp: String,
        version: String,
        state: String,
        lastStart: Double,
        lastStop: Double? = nil
    ) {
        self.id = id
        self.name = name
        self.serviceIp = serviceIp
        self.version = version
        self.state = state
        self.lastStart = lastStart
        self.lastStop = lastStop
    }
}

extension ManagementServerRow: StoreRow {
    /// The table.
    public static var table: String { "mshost" }
}

extension CloudStore {
    /// Records a management server that just started (insert or update, state `Up`).
    /// - Parameter row: the server.
    /// - Throws: ``StoreError``.
    public func recordManagementServer(_ row: ManagementServerRow) async throws(StoreError) {
        try await self.guarded("record management server") {
            try await self.sql.raw(
                """
                INSERT INTO mshost (id, name, service_ip, version, state, last_start, last_stop) VALUES \
                (\(bind: row.id), \(bind: row.name), \(bind: row.serviceIp), \(bind: row.version), \
                \(bind: row.state), \(bind: row.lastStart), \(bind: row.lastStop)) \
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, service_ip = excluded.service_ip, \
                version = excluded.version, state = excluded.state, last_start = excluded.last_start
                """
            ).run()
        }
    }

    /// Records a management server's graceful stop.
    /// - Parameters:
    ///   - id: the server.
    ///   - at: when.
    /// - Throws: ``StoreError``.
    public func recordManagementServerStopped(id: String, at: Double) async throws(StoreError) {
        try await self.guarded("record management server stop") {
            try await self.sql.raw(
                "UPDATE mshost SET state = 'Down', last_stop = \(bind: at) WHERE id = \(bind: id)"
            ).run()
        }
    }

    /// Marks a management server that is no longer a cluster member Down, once: only a row still Up changes.
    /// - Parameters:
    ///   - id: the management server.
    ///   - at: when it was seen gone.
    /// - Returns: whether this call changed the row (so whoever gets true raises the alert).
    /// - Throws: ``StoreError``.
    public func markManagementServerDown(id: String, at: Double) async throws(StoreError) -> Bool {
        try await self.guarded("mark management server down") {
            try await !self.sql.raw(
                """
                UPDATE mshost SET state = 'Down', last_stop = \(bind: at) WHERE id = \(bind: id) AND state = 'Up' \
                RETURNING id
                """
            ).all().isEmpty
        }
    }

    /// Every management server ever recorded, sorted by id.
    /// - Returns: the rows.
    /// - Throws: ``StoreError``.
    public func managementServerRows() async throws(StoreError) -> [ManagementServerRow] {
        try await self.list(ManagementServerRow.self, ListQuery()).items.sorted { $0.id < $1.id }
    }

    /// The pending jobs owned by a management server that is none of `live` (a cluster's orphaned jobs), created
    /// before `createdBefore`. Jobs without an owner are left alone.
    /// - Parameters:
    ///   - live: the live management servers' ids.
    ///   - createdBefore: only jobs older than this (seconds since 1970).
    /// - Returns: the jobs.
    /// - Throws: ``StoreError``.
    public func orphanedJobs(live: [String], createdBefore: Double) async throws(StoreError) -> [AsyncJob] {
        let pending = try await self.guarded("list pending jobs") {
            try await self.sql.raw(
                "SELECT * FROM async_job WHERE status = 0 AND owner IS NOT NULL AND created < \(bind: createdBefore)"
            ).all(decoding: AsyncJob.self, with: SQLRowDecoder(keyDecodingStrategy: SnakeCaseKeys.strategy))
        }
        let alive = Set(live)
        return pending.filter { !alive.contains($0.owner ?? "") }
    }

    /// The pending jobs of one owner, or every pending job when `owner` is nil.
    /// - Parameter owner: the management server.
    /// - Returns: the jobs.
    /// - Throws: ``StoreError``.
    public func pendingJobs(owner: String?) async throws(StoreError) -> [AsyncJob] {
        var equals = [("status", "0")]
        if let owner { equals.append(("owner", owner)) }
        return try await self.list(AsyncJob.self, ListQuery(equals: equals)).items
    }

    /// The destroyed VMs whose last state change is older than `before` (or unknown), for the expunge thread.
    /// - Parameter before: seconds since 1970.
    /// - Returns: their ids.
    /// - Throws: ``StoreError``.
    public func destroyedVirtualMachineIds(updatedBefore before: Double) async throws(StoreError) -> [String] {
        try await self.guarded("list destroyed vms") {
            try await self.sql.raw(
                """
                SELECT id FROM vm_instance WHERE state = 'Destroyed' AND (updated IS NULL OR updated < \(bind: before)) \
                ORDER BY id
                """
            ).all(decodingColumn: "id", as: String.self)
        }
    }

    /// Claims the one-time bootstrap (seeding) of the database for `serverId`: of several management servers
    /// starting together on one database, exactly one wins (an insert race on one primary key).
    /// - Parameters:
    ///   - serverId: the claiming server.
    ///   - staleAfter: a claim not completed within this many seconds is taken over (its server died seeding).
    /// - Returns: true when this server must seed; false when another server holds or completed the claim.
    /// - Throws: ``StoreError``.
    public func claimBootstrap(serverId: String, staleAfter: Double) async throws(StoreError) -> Bool {
        let now = self.clock.now
        try await self.guarded("release stale bootstrap claim") {
            try await self.sql.raw(
                """
                DELETE FROM bootstrap_claim WHERE id = 'seed' AND completed IS NULL                 AND started < \(bind: now - staleAfter)
                """
            ).run()
        }
        do {
            try await self.guarded("claim bootstrap") {
                try await self.sql.raw(
                    """
                    INSERT INTO bootstrap_claim (id, server_id, started) VALUES ('seed', \(bind: serverId), \(bind: now))
                    """
                ).run()
            }
            return true
        } catch  where error.kind == .duplicate {
            return false
        }
    }

    /// Marks the bootstrap claim completed.
    /// - Throws: ``StoreError``.
    public func completeBootstrap() async throws(StoreError) {
        try await self.guarded("complete bootstrap") {
            try await self.sql.raw(
                "UPDATE bootstrap_claim SET completed = \(bind: self.clock.now) WHERE id = 'seed'"
            ).run()
        }
    }

    /// The bootstrap claim's state: nil when nobody claimed it (or the claim went stale and was released),
    /// false while its server seeds, true once seeded.
    /// - Returns: the state.
    /// - Throws: ``StoreError``.
    public func bootstrapClaimCompleted() async throws(StoreError) -> Bool? {
        let rows = try await self.guarded("read bootstrap claim") {
            try await self.sql.raw("SELECT completed FROM bootstrap_claim WHERE id = 'seed'")
                .all(decodingColumn: "completed", as: Double?.self)
        }
        guard let row = rows.first else { return nil }
        return row != nil
    }
}
