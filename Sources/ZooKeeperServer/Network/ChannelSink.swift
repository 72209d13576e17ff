import NIOCore

/// Writes a connection's frames on its event loop, in the order the server core sends them.
///
/// Every send is queued on the loop, even from the loop itself, so that a reply produced under the lock never
/// overtakes a notification queued for the same connection a moment earlier by another thread.
final class ChannelSink: ConnectionSink {
    private let channel: any Channel

    init(channel: any Channel) { self.channel = channel }

    func send(_ frames: [ByteBuffer], close: Bool) {
        let channel = self.channel
        channel.eventLoop.execute {
            for frame in frames { channel.write(frame, promise: nil) }
            if !frames.isEmpty { channel.flush() }
            if close { channel.close(promise: nil) }
        }
    }
}
