import CloudModel
import SQLiteKit

/// One real VM's last counters with the names a metrics scrape labels them by.
public struct VirtualMachineStatsRow: Sendable, Hashable {
    /// The VM's zone's name.
    public var zone: String
    /// The name of the host it runs on.
    public var host: String
    /// The VM's name.
    public var name: String
    /// The counters (their `id` is the VM's).
    public var stats: VirtualMachineStats

    /// Makes a value.
    /// - Parameters:
    ///   - zone: the zone's name.
    ///   - host: the host's name.
    ///   - name: the VM's name.
    ///   - stats: the counters.
    public init(zone: String, host: String, name: String, stats: VirtualMachineStats) {
        self.zone = zone
        self.host = host
        self.name = name
        self.stats = stats
    }
}

extension CloudStore {
    /// The running real VMs' last counters (`vm_stats`, which only real hosts' agents fill and which a stopped VM
    /// leaves), joined to the VM, its host and its zone for their names: at most `limit` VMs, by id.
    /// - Parameter limit: the most VMs returned (0: none).
    /// - Returns: the rows, by VM id.
    /// - Throws: ``StoreError``.
    public func virtualMachineStatsForMetrics(limit: Int) async throws(StoreError) -> [VirtualMachineStatsRow] {
        guard limit > 0 else { return [] }
        return try await self.guarded("read vm stats") {
            let rows = try await self.sql.raw(
                """
                SELECT s.id AS id, s.cpu_used_percent AS cpu, s.memory_kbs AS memory, \
                s.memory_int_free_kbs AS memory_free, s.network_kbs_read AS net_read, \
                s.network_kbs_write AS net_write, s.disk_kbs_read AS disk_read, s.disk_kbs_write AS disk_write, \
                s.disk_io_read AS io_read, s.disk_io_write AS io_write, s.updated AS updated, vm.name AS name, \
                host.name AS host, zone.name AS zone FROM vm_stats AS s JOIN vm_instance AS vm ON vm.id = s.id \
                JOIN host ON host.id = vm.host_id JOIN zone ON zone.id = vm.zone_id ORDER BY s.id LIMIT \(bind: limit)
                """
            ).all()
            return try rows.map { row in
                VirtualMachineStatsRow(
                    zone: try row.decode(column: "zone", as: String.self),
                    host: try row.decode(column: "host", as: String.self),
                    name: try row.decode(column: "name", as: String.self),
                    stats: VirtualMachineStats(
                        id: try row.decode(column: "id", as: String.self),
                        cpuUsedPercent: try row.decode(column: "cpu", as: Double.self),
                        memoryKbs: try row.decode(column: "memory", as: Int.self),
                        memoryIntFreeKbs: try row.decode(column: "memory_free", as: Int.self),
                        networkKbsRead: try row.decode(column: "net_read", as: Int.self),
                        networkKbsWrite: try row.decode(column: "net_write", as: Int.self),
                        diskKbsRead: try row.decode(column: "disk_read", as: Int.self),
                        diskKbsWrite: try row.decode(column: "disk_write", as: Int.self),
                        diskIoRead: try row.decode(column: "io_read", as: Int.self),
                        diskIoWrite: try row.decode(column: "io_write", as: Int.self),
                        updated: try row.decode(column: "updated", as: Double.self)
                    )
                )
            }
        }
    }
}
