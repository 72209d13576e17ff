import NIOCore
import Synchronization

/// Runs the server core's tick at every multiple of tickTime on the wall clock, where session expiry times fall
/// (`SessionTrackerImpl.run` sleeps until the next expiry bucket the same way).
final class SessionTicker: Sendable {
    private let core: ServerCore
    private let loop: any EventLoop
    private let tickTime: Int64
    private let scheduled = Mutex<(task: Scheduled<Void>?, stopped: Bool)>((nil, false))

    init(core: ServerCore, loop: any EventLoop, tickTime: Int) {
        self.core = core
        self.loop = loop
        self.tickTime = Int64(max(1, tickTime))
    }

    /// Starts ticking.
    func start() { self.schedule() }

    /// Stops ticking.
    func stop() {
        self.scheduled.withLock { state in
            state.stopped = true
            state.task?.cancel()
            state.task = nil
        }
    }

    private func schedule() {
        let now = self.core.clock.nowMilliseconds()
        let delay = (now / self.tickTime + 1) * self.tickTime - now
        self.scheduled.withLock { state in
            guard !state.stopped else { return }
            state.task = self.loop.scheduleTask(in: .milliseconds(delay)) { [self] in
                self.core.tick()
                self.schedule()
            }
        }
    }
}
