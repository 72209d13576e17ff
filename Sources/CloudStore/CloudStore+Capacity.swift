import CloudModel
import SQLiteKit

extension CloudStore {
    /// Reserves CPU and memory on a host with a compare-and-set on its `version`, retrying on conflicts.
    ///
    /// The `WHERE` clause re-checks capacity × overprovisioning, so two concurrent reservations can never
    /// over-commit a host, whatever lock a planner holds.
    /// - Parameters:
    ///   - hostId: the host.
    ///   - cpu: MHz.
    ///   - memory: bytes.
    /// - Returns: true when reserved, false when the host lacks capacity.
    /// - Throws: ``StoreError``.
    public func reserveCapacity(hostId: String, cpu: Int, memory: Int) async throws(StoreError) -> Bool {
        for _ in 0..<16 {
            guard let host = try await self.get(Host.self, id: hostId) else { return false }
            if Double(host.cpuUsed + cpu) > Double(host.cpuTotal) * host.cpuOverprovisioning
                || Double(host.memUsed + memory) > Double(host.memory) * host.memOverprovisioning
            {
                return false
            }
            let updated: String? = try await self.guarded("reserve capacity") {
                try await self.sql.raw(
                    """
                    UPDATE host SET cpu_used = cpu_used + \(bind: cpu), mem_used = mem_used + \(bind: memory), \
                    version = version + 1 WHERE id = \(bind: hostId) AND version = \(bind: host.version) \
                    AND cpu_used + \(bind: cpu) <= cpu_number * cpu_speed * cpu_overprovisioning \
                    AND mem_used + \(bind: memory) <= memory * mem_overprovisioning RETURNING id
                    """
                ).first(decodingColumn: "id", as: String.self)
            }
            if updated != nil {
                self.hostChanges.changed(hostId)
                return true
            }
        }
        return false
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
                UPDATE host SET cpu_used = max(cpu_used - \(bind: cpu), 0), \
                mem_used = max(mem_used - \(bind: memory), 0), version = version + 1 WHERE id = \(bind: hostId)
                """
            ).run()
        }
        self.hostChanges.changed(hostId)
    }
}
