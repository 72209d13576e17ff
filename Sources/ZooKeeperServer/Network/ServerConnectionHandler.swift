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
    private var deadline: Scheduled<Void>?

    init(core: ServerCore, handshakeTimeout: TimeAmount) {
        self.core = core
        self.handshakeTimeout = handshakeTimeout
    }

    func channelActive(context: ChannelHandlerContext) {
        let address = context.channel.remoteAddress
        let host = address?.ipAddress ?? "unknown"
        let sink = ChannelSink(channel: context.channel)
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
        self.run(self.machine.frameReceived(frame), context: context)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.run(self.machine.errorCaught(), context: context)
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
