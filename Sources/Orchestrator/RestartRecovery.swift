import CloudModel
import CloudStore
import Logging

/// What is done for work a management server owned when it died: fail its pending jobs (530, as CloudStack's
/// `AsyncJobManagerImpl` does) and settle VMs caught mid-transition, releasing their reservations.
///
/// A lone server runs it for everything at start (``run(store:logger:)``); in a cluster, a server runs it at start
/// for its own earlier jobs, and the leader for the jobs of a server that left (``recover(jobs:store:logger:text:)``).
public enum RestartRecovery {
    /// CloudStack's job result for a job of a server that restarted.
    public static let restartText = "job cancelled because of management server restart"
    /// CloudStack's job result for a job of a server that went away (restart or shutdown).
    public static let departedText = "job cancelled because of management server restart or shutdown"

    /// Runs recovery for every pending job and every VM mid-transition (one management server, at its start).
    /// - Parameters:
    ///   - store: the store.
    ///   - logger: a logger.
    /// - Returns: how many jobs were failed.
    /// - Throws: ``StoreError``.
    @discardableResult
    public static func run(store: CloudStore, logger: Logger) async throws(StoreError) -> Int {
        let jobs = try await store.failInterruptedJobs()
        for vm in try await store.virtualMachines(in: [.starting, .stopping, .migrating, .expunging]) {
            try await self.settle(vm, store: store)
        }
        if !jobs.isEmpty { logger.warning("failed interrupted jobs", metadata: ["count": "\(jobs.count)"]) }
        return jobs.count
    }

    /// Recovers the given pending jobs of one management server that is gone: each still-pending job ends failed
    /// with 530 and `text`, and the VM it worked on, when caught mid-transition, is settled (Starting/Stopping →
    /// Stopped with its reservation released, Migrating → Running on its source, Expunging → removed).
    /// - Parameters:
    ///   - jobs: the jobs (pending when read).
    ///   - store: the store.
    ///   - logger: a logger.
    ///   - text: the job result's error text.
    ///   - beforeEachWrite: called before each job's writes; throwing stops the recovery (a leader checks that it
    ///     still leads).
    /// - Returns: how many jobs this call failed (a job completed meanwhile is left as it is).
    /// - Throws: ``StoreError``, or what `beforeEachWrite` throws.
    @discardableResult
    public static func recover(
        jobs: [AsyncJob],
        store: CloudStore,
        logger: Logger,
        text: String = departedText,
        beforeEachWrite: @Sendable () async throws -> Void = {}
    ) async throws -> Int {
        let result = #"{"errorcode":530,"errortext":""# + text + #""}"#
        var failed = 0
        for job in jobs {
            try await beforeEachWrite()
            guard try await store.failPendingJob(id: job.id, resultCode: 530, result: result) else { continue }
            failed += 1
            guard job.instanceType == "VirtualMachine", let id = job.instanceId,
                let vm = try await store.get(VirtualMachine.self, id: id)
            else { continue }
            try await self.settle(vm, store: store)
        }
        if failed > 0 {
            logger.warning(
                "failed jobs of a departed management server",
                metadata: ["count": "\(failed)", "owner": "\(jobs.first?.owner ?? "-")"]
            )
        }
        return failed
    }

    /// Settles one VM caught mid-transition.
    static func settle(_ vm: VirtualMachine, store: CloudStore) async throws(StoreError) {
        switch vm.state {
        case .starting, .stopping:
            _ = try await store.stopVirtualMachine(vm)
        case .migrating:
            // A migration reserved capacity on its destination; the VM stays on its source.
            guard
                try await store.transitionVirtualMachine(
                    id: vm.id,
                    from: vm.state,
                    to: .running,
                    updateCount: vm.updateCount,
                    hostId: vm.hostId
                )
            else { return }
            if let target = try await store.details(of: vm.id)[VirtualMachineService.migrationTargetDetail] {
                try await store.releaseCapacity(hostId: target, cpu: vm.cpuDemand, memory: vm.memoryDemand)
                try await store.setDetails(of: vm.id, [VirtualMachineService.migrationTargetDetail: nil])
            }
        case .expunging:
            try await store.deleteVirtualMachine(id: vm.id)
        case .running, .stopped, .destroyed, .error, .unknown, .shutdown:
            break
        }
    }
}
