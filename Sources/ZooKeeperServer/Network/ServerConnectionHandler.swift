import Logging
import NIOCore
import ZooKeeperProtocol

/// Carries out a connection's `ServerSessionStateMachine` actions: registers with the server core, passes it
/// the handshake and requests, closes on the machine's word.
final class ServerConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let core: ServerCore
    private let handshakeTimeout: TimeAmount
    private var machine = ServerSessionStateMachine()
    private var connection: ConnectionID?
    private var sink: ChannelSink?
    private var deadline: Scheduled<Void>?
    /// Frames held back while the client is not reading its replies.
    private var pending = CircularBuffer<ByteBuffer>()
    private var paused = false

    /// Replies queued beyond this stop the processing of the connection's requests until they are written.
    private static let outboundLimit = 512 * 1024

    init(core: ServerCore, handshakeTimeout: TimeAmount) {
        self.core = core
        self.handshakeTimeout = handshakeTimeout
    }

    func channelActive(context: ChannelHandlerContext) {
        let address = context.channel.remoteAddress
        let host = address?.ipAddress ?? "unknown"
        let sink = ChannelSink(channel: context.channel)
        self.sink = sink
        guard let id = self.core.register(sink: sink, host: host, port: address?.port ?? 0) else {
            // Over maxClientCnxns for this address: drop it at once, as NIOServerCnxnFactory does.
            context.close(promise: nil)
            return
        }
        self.connection = id
        let loopBound = context.eventLoop.assumeIsolated()
        self.deadline = loopBound.scheduleTask(in: self.handshakeTimeout) { [self] in
            self.run(self.machine.handshakeDeadlinePassed(), context: context)
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = self.unwrapInboundIn(data)
        if self.paused {
            self.pending.append(frame)
            return
        }
        self.run(self.machine.frameReceived(frame), context: context)
        if self.isOverloaded(context) { self.pause(context: context) }
    }

    // A client that does not read its replies stops being served (and read from) until they are written, as
    // Apache disables receive on a connection with too much outstanding; its queue cannot grow without bound.

    private func isOverloaded(_ context: ChannelHandlerContext) -> Bool {
        !context.channel.isWritable || (self.sink?.queuedBytes ?? 0) > Self.outboundLimit
    }

    private func pause(context: ChannelHandlerContext) {
        if !self.paused {
            self.paused = true
            context.channel.setOption(ChannelOptions.autoRead, value: false).whenFailure { _ in }
        }
        // Runs after the write tasks already queued on this loop.
        context.eventLoop.assumeIsolated().execute { [self] in self.resume(context: context) }
    }

    private func resume(context: ChannelHandlerContext) {
        guard self.paused, context.channel.isActive else { return }
        if !context.channel.isWritable { return }  // channelWritabilityChanged resumes
        if (self.sink?.queuedBytes ?? 0) > Self.outboundLimit {
            self.pause(context: context)
            return
        }
        self.paused = false
        while let frame = self.pending.popFirst() {
            self.run(self.machine.frameReceived(frame), context: context)
            if self.isOverloaded(context) {
                self.pause(context: context)
                return
            }
        }
        context.channel.setOption(ChannelOptions.autoRead, value: true).whenFailure { _ in }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.core.logger.debug(
            "Closing connection after a protocol error",
            metadata: ["remote": "\(context.channel.remoteAddress.map { "\($0)" } ?? "?")", "error": "\(error)"]
        )
        self.run(self.machine.errorCaught(), context: context)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { self.resume(context: context) }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.deadline?.cancel()
        self.run(self.machine.channelInactive(), context: context)
        context.fireChannelInactive()
    }

    private func run(_ action: ServerSessionStateMachine.Action, context: ChannelHandlerContext) {
        switch action {
        case .none:
            break
        case .connect(let request):
            guard let id = self.connection else { return }
            self.deadline?.cancel()
            let outcome = self.core.connect(id, request)
            self.run(self.machine.connectFinished(outcome), context: context)
        case .process(let header, let request):
            guard let id = self.connection else { return }
            self.core.process(id, header, request)
        case .close:
            context.close(promise: nil)
        case .unregister:
            if let id = self.connection { self.core.unregister(id) }
            self.connection = nil
        }
    }
}

@available(*, unavailable)
extension ServerConnectionHandler: Sendable {}
