import CloudModel
import CloudStore
import Logging
import Synchronization

/// Runs async jobs: records the job row at once, runs the work in a task, records the outcome.
public final class JobManager: Sendable {
    private let store: CloudStore
    private let logger: Logger
    private let running: Mutex<[String: Task<Void, Never>]>
    /// The waiters of ``drain(within:)``, resumed when no job runs.
    private let idleWaiters = Mutex<[UInt64: CheckedContinuation<Void, Never>]>([:])
    private let nextWaiter = Atomic<UInt64>(0)
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
        // Made under the lock: the job cannot finish (and forget itself) before it is recorded as running.
        self.running.withLock { running in
            running[job.id] = Task {
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
                self.finished(job.id)
            }
        }
    }

    /// The ids of the jobs running now, sorted.
    public var runningJobIds: [String] {
        self.running.withLock { $0.keys.sorted() }
    }

    /// Waits until no job runs, or until `limit` has passed (a management server stopping lets its running jobs
    /// finish this long; the jobs it leaves pending are failed by the leader's orphaned-job sweep, or by the
    /// restart recovery of a lone server).
    /// - Parameter limit: the longest wait.
    /// - Returns: the ids of the jobs still running, sorted (empty when all finished).
    public func drain(within limit: Duration) async -> [String] {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.idle() }
            group.addTask { try? await Task.sleep(for: limit) }
            await group.next()
            group.cancelAll()
        }
        return self.runningJobIds
    }

    /// Returns once no job runs, or when the calling task is cancelled.
    private func idle() async {
        let id = self.nextWaiter.add(1, ordering: .relaxed).newValue
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                // Registered under both locks: the last job finishing either sees the waiter or finished before,
                // and a cancellation either sees it or is seen here.
                let resumeNow = self.running.withLock { running in
                    self.idleWaiters.withLock { waiters in
                        guard !running.isEmpty, !Task.isCancelled else { return true }
                        waiters[id] = continuation
                        return false
                    }
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            self.idleWaiters.withLock { $0.removeValue(forKey: id) }?.resume()
        }
    }

    /// Forgets a finished job; the last one wakes the waiters of ``drain(within:)``.
    private func finished(_ id: String) {
        let waiters = self.running.withLock { running -> [CheckedContinuation<Void, Never>] in
            running.removeValue(forKey: id)
            guard running.isEmpty else { return [] }
            return self.idleWaiters.withLock { waiters in
                defer { waiters = [:] }
                return Array(waiters.values)
            }
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Waits until every job submitted so far has finished (tests, shutdown).
    public func drain() async {
        while true {
            let tasks = self.running.withLock { $0 }
            if tasks.isEmpty { return }
            for (_, task) in tasks { await task.value }  // each forgets itself as it ends
        }
    }
}
