import NIOCore
import Synchronization

@testable import ZooKeeperServer

/// A clock the test moves by hand.
final class ManualClock: ServerClock {
    private let now: Mutex<Int64>

    init(_ start: Int64 = 1_700_000_000_000) { self.now = Mutex(start) }

    func nowMilliseconds() -> Int64 { self.now.withLock { $0 } }

    func advance(by milliseconds: Int64) { self.now.withLock { $0 += milliseconds } }
}

/// A connection sink that records what the core sends.
final class RecordingSink: ConnectionSink {
    private let state = Mutex<(frames: [[UInt8]], closed: Bool)>(([], false))

    func send(_ frames: [NIOCore.ByteBuffer], close: Bool) {
        self.state.withLock { state in
            state.frames.append(contentsOf: frames.map { Array($0.readableBytesView) })
            if close { state.closed = true }
        }
    }

    var frames: [[UInt8]] { self.state.withLock { $0.frames } }
    var closed: Bool { self.state.withLock { $0.closed } }

    /// Takes the frames recorded so far.
    func drain() -> [[UInt8]] {
        self.state.withLock { state in
            defer { state.frames = [] }
            return state.frames
        }
    }
}
