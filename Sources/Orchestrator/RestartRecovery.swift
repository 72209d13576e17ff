import CloudModel
import CloudStore
import Logging

/// What a management server does at start for work it owned when it died: fail its pending jobs (530, as
/// CloudStack's `AsyncJobManagerImpl` does) and settle VMs caught mid-transition, releasing their reservations.
public enum RestartRecovery {
    /// Runs recovery.
    /// - Parameters:
    ///   - store: the store.
    ///   - logger: a logger.
    /// - Returns: how many jobs were failed.
    /// - Throws: ``StoreError``.
    @discardableResult
    public static func run(store: CloudStore, logger: Logger) async throws(StoreError) -> Int {
        let jobs = try await store.failInterruptedJobs()
        for vm in try await store.virtualMachines(in: [.starting, .stopping, .migrating, .expunging]) {
            switch vm.state {
            case .starting, .stopping:
                if let hostId = vm.hostId {
                    try await store.releaseCapacity(hostId: hostId, cpu: vm.cpuDemand, memory: vm.memoryDemand)
                }
                _ = try await store.transitionVirtualMachine(
                    id: vm.id,
                    from: vm.state,
                    to: .stopped,
                    updateCount: vm.updateCount,
                    hostId: nil
                )
            case .migrating:
                // A migration reserved capacity on its destination; the VM stays on its source.
                if let target = try await store.details(of: vm.id)[VirtualMachineService.migrationTargetDetail] {
                    try await store.releaseCapacity(hostId: target, cpu: vm.cpuDemand, memory: vm.memoryDemand)
                    try await store.setDetails(of: vm.id, [VirtualMachineService.migrationTargetDetail: nil])
                }
                _ = try await store.transitionVirtualMachine(
                    id: vm.id,
                    from: vm.state,
                    to: .running,
                    updateCount: vm.updateCount,
                    hostId: vm.hostId
                )
            case .expunging:
                try await store.deleteVirtualMachine(id: vm.id)
            case .running, .stopped, .destroyed, .error, .unknown, .shutdown:
                break
            }
        }
        if !jobs.isEmpty { logger.warning("failed interrupted jobs", metadata: ["count": "\(jobs.count)"]) }
        return jobs.count
    }
}
