import NIOCore
import Synchronization

/// Writes a connection's frames on its event loop, in the order the server core sends them.
///
/// Every send is queued on the loop, even from the loop itself, so that a reply produced under the lock never
/// overtakes a notification queued for the same connection a moment earlier by another thread.
final class ChannelSink: ConnectionSink {
    private let channel: any Channel
    private let queued = Atomic<Int>(0)

    init(channel: any Channel) { self.channel = channel }

    /// Bytes handed to `send` that are not yet written to the channel.
    var queuedBytes: Int { self.queued.load(ordering: .relaxed) }

    func send(_ frames: [ByteBuffer], close: Bool) {
        let channel = self.channel
        let bytes = frames.reduce(0) { $0 + $1.readableBytes }
        self.queued.add(bytes, ordering: .relaxed)
        channel.eventLoop.execute { [self] in
            self.queued.subtract(bytes, ordering: .relaxed)
            for frame in frames { channel.write(frame, promise: nil) }
            if !frames.isEmpty { channel.flush() }
            if close { channel.close(promise: nil) }
        }
    }
}
