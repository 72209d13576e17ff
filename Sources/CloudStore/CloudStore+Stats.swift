import CloudModel
import SQLiteKit

extension CloudStore {
    /// Records real VMs' and a host's last measured counters, replacing the previous ones (one transaction).
    /// - Parameters:
    ///   - vms: the VMs' counters.
    ///   - host: the host's use, if measured.
    /// - Throws: ``StoreError``.
    public func recordStats(vms: [VirtualMachineStats], host: HostStats?) async throws(StoreError) {
        _ = try await self.transaction("record stats") { session in
            for stats in vms {
                try await session.delete(from: VirtualMachineStats.table).where("id", .equal, stats.id).run()
                try await session.insert(into: VirtualMachineStats.table)
                    .model(stats, keyEncodingStrategy: .convertToSnakeCase, nilEncodingStrategy: .asNil).run()
            }
            if let host {
                try await session.delete(from: HostStats.table).where("id", .equal, host.id).run()
                try await session.insert(into: HostStats.table)
                    .model(host, keyEncodingStrategy: .convertToSnakeCase, nilEncodingStrategy: .asNil).run()
            }
        }
    }

    /// Records real volumes' measured sizes, replacing the previous ones (one transaction).
    /// - Parameter volumes: the sizes.
    /// - Throws: ``StoreError``.
    public func recordStats(volumes: [VolumeStats]) async throws(StoreError) {
        guard !volumes.isEmpty else { return }
        _ = try await self.transaction("record volume stats") { session in
            for stats in volumes {
                try await session.delete(from: VolumeStats.table).where("id", .equal, stats.id).run()
                try await session.insert(into: VolumeStats.table)
                    .model(stats, keyEncodingStrategy: .convertToSnakeCase, nilEncodingStrategy: .asNil).run()
            }
        }
    }

    /// Forgets the counters of VMs that stopped (a stopped VM shows none).
    /// - Parameter vmIds: the VMs.
    /// - Throws: ``StoreError``.
    public func forgetStats(vmIds: [String]) async throws(StoreError) {
        guard !vmIds.isEmpty else { return }
        try await self.guarded("forget stats") {
            try await self.sql.delete(from: VirtualMachineStats.table).where("id", .in, vmIds).run()
        }
    }
}
