import CloudModel
import SQLiteKit

extension CloudStore {
    /// Reserves CPU and memory on a host with one compare-and-set: the `UPDATE` succeeds only while the host is
    /// Up and Enabled and `used + demand <= total × overprovisioning` holds for CPU and memory, so two concurrent
    /// reservations (on this management server or another) can never over-commit a host, whatever the planner
    /// saw and whatever lock it holds.
    /// - Parameters:
    ///   - hostId: the host.
    ///   - cpu: MHz.
    ///   - memory: bytes.
    /// - Returns: true when reserved, false when the host lacks capacity, is not Up and Enabled, or is gone.
    /// - Throws: ``StoreError``.
    public func reserveCapacity(hostId: String, cpu: Int, memory: Int) async throws(StoreError) -> Bool {
        let updated: String? = try await self.guarded("reserve capacity") {
            try await self.sql.raw(
                """
                UPDATE host SET cpu_used = cpu_used + \(bind: cpu), mem_used = mem_used + \(bind: memory), \
                version = version + 1 WHERE id = \(bind: hostId) AND state = 'Up' AND resource_state = 'Enabled' \
                AND cpu_used + \(bind: cpu) <= cpu_number * cpu_speed * cpu_overprovisioning \
                AND mem_used + \(bind: memory) <= memory * mem_overprovisioning RETURNING id
                """
            ).first(decodingColumn: "id", as: String.self)
        }
        guard updated != nil else { return false }
        self.hostChanges.changed(hostId)
        return true
    }

    /// Releases CPU and memory on a host (never below zero).
    /// - Parameters:
    ///   - hostId: the host.
    ///   - cpu: MHz.
    ///   - memory: bytes.
    /// - Throws: ``StoreError``.
    public func releaseCapacity(hostId: String, cpu: Int, memory: Int) async throws(StoreError) {
        try await self.guarded("release capacity") {
            try await self.sql.raw(
                """
                UPDATE host SET \
                cpu_used = CASE WHEN cpu_used > \(bind: cpu) THEN cpu_used - \(bind: cpu) ELSE 0 END, \
                mem_used = CASE WHEN mem_used > \(bind: memory) THEN mem_used - \(bind: memory) ELSE 0 END, \
                version = version + 1 WHERE id = \(bind: hostId)
                """
            ).run()
        }
        self.hostChanges.changed(hostId)
    }
}
