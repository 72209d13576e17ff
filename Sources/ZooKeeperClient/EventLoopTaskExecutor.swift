import NIOCore

/// Runs tasks on a NIO event loop: a task that prefers it (`withTaskExecutorPreference`) and awaits a client on the
/// same loop never changes threads — its requests are written without a hop onto the loop, and its replies resume
/// it without a hop off.
public final class EventLoopTaskExecutor: TaskExecutor {
    /// The loop jobs run on.
    public let eventLoop: any EventLoop

    /// Makes an executor.
    /// - Parameter eventLoop: the loop.
    public init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// Runs `job` on the event loop.
    /// - Parameter job: the job.
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        self.eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
