import CloudModel
import CloudStore
import Logging
import Synchronization

/// Runs async jobs: records the job row at once, runs the work in a task, records the outcome.
public final class JobManager: Sendable {
    private let store: CloudStore
    private let logger: Logger
    private let running: Mutex<[String: Task<Void, Never>]>
    /// The management server whose jobs these are (recorded as each job's owner), nil outside a cluster.
    public let owner: String?

    /// Creates a manager.
    /// - Parameters:
    ///   - store: the store.
    ///   - logger: a logger.
    ///   - owner: this management server's id, recorded on every job (the leader fails the pending jobs of an
    ///     owner that left the cluster).
    public init(store: CloudStore, logger: Logger, owner: String? = nil) {
        self.store = store
        self.logger = logger
        self.running = Mutex([:])
        self.owner = owner
    }

    /// Records `job` as pending and starts `work`.
    /// - Parameters:
    ///   - job: the new job row (status 0).
    ///   - work: the job's body; its outcome becomes the job's result.
    /// - Throws: ``StoreError`` when the row cannot be written.
    public func submit(_ job: AsyncJob, work: @escaping @Sendable () async -> JobOutcome) async throws(StoreError) {
        var owned = job
        if owned.owner == nil { owned.owner = self.owner }
        try await self.store.insert(owned)
        let store = self.store
        let logger = self.logger
        let task = Task {
            let outcome = await work()
            do {
                try await store.completeJob(
                    id: job.id,
                    status: outcome.status,
                    resultCode: outcome.resultCode,
                    result: outcome.resultJSON
                )
            } catch {
                logger.error("cannot record job result", metadata: ["job": "\(job.id)"])
            }
            _ = self.running.withLock { $0.removeValue(forKey: job.id) }
        }
        self.running.withLock { $0[job.id] = task }
    }

    /// Waits until every job submitted so far has finished (tests, shutdown).
    public func drain() async {
        while true {
            let tasks = self.running.withLock { $0 }
            if tasks.isEmpty { return }
            for (_, task) in tasks { await task.value }
            self.running.withLock { running in
                for id in tasks.keys { running.removeValue(forKey: id) }
            }
        }
    }
}
