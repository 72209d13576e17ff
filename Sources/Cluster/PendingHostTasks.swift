import Synchronization

/// One task per host (the HA sequence of a lost host, or its reconnection), a new one replacing the old.
final class PendingHostTasks: Sendable {
    private let tasks = Mutex<[String: Task<Void, Never>]>([:])

    /// Cancels the host's current task and starts `work` in its place, once the cancelled task has ended (so the
    /// host's steps never interleave).
    func replace(_ hostId: String, _ work: @escaping @Sendable () async -> Void) {
        self.tasks.withLock { tasks in
            let old = tasks[hostId]
            old?.cancel()
            tasks[hostId] = Task {
                await old?.value
                await work()
            }
        }
    }

    /// Cancels every task.
    func cancelAll() {
        let all = self.tasks.withLock { tasks in
            defer { tasks = [:] }
            return Array(tasks.values)
        }
        for task in all { task.cancel() }
    }
}
