import NIOCore

/// The agent's guard in front of ``AgentServerHandler``: sends the challenge when the connection opens, lets frames
/// through only once the management server has proved the cluster secret, and closes the connection on anything
/// else or when the handshake takes longer than `timeout`.
final class AgentServerAuthHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var machine: AgentServerHandshake
    private let timeout: TimeAmount
    private var started = false
    private var deadline: Scheduled<Void>?

    init(secret: AgentSecret, timeout: TimeAmount) {
        self.machine = AgentServerHandshake(secret: secret)
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { self.start(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        self.start(context: context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.deadline?.cancel()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.machine.received(Self.unwrapInboundIn(data)) {
        case .forward:
            context.fireChannelRead(data)
        case .confirm(let confirmation):
            self.deadline?.cancel()
            self.deadline = nil
            self.send(confirmation, context: context)
        case .close:
            context.close(promise: nil)
        case .ignore:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.deadline?.cancel()
        context.fireChannelInactive()
    }

    private func start(context: ChannelHandlerContext) {
        guard !self.started else { return }
        self.started = true
        self.send(self.machine.challenge, context: context)
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        self.deadline = context.eventLoop.scheduleTask(in: self.timeout) {
            let (handler, context) = loopBound.value
            if handler.machine.timedOut() { context.close(promise: nil) }
        }
    }

    private func send<Message: Encodable>(_ message: Message, context: ChannelHandlerContext) {
        var buffer = context.channel.allocator.buffer(capacity: 128)
        do {
            try AgentWire.encode(message, into: &buffer)
        } catch {
            context.close(promise: nil)
            return
        }
        context.writeAndFlush(Self.wrapOutboundOut(buffer), promise: nil)
    }
}

@available(*, unavailable)
extension AgentServerAuthHandler: Sendable {}

/// The management server's side of the handshake in front of ``AgentClientHandler``: answers the agent's challenge
/// and completes ``authenticated`` once the agent has proved the cluster secret; the pool hands the connection out
/// only then. A wrong proof, a peer that does not follow the handshake or one slower than `timeout` fails it and
/// closes the connection.
final class AgentClientAuthHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Succeeds when the agent has proved the secret; fails with ``AgentProtocolError``.
    let authenticated: EventLoopPromise<Void>
    private var machine: AgentClientHandshake
    private let timeout: TimeAmount
    private let address: String
    private var deadline: Scheduled<Void>?
    private var done = false

    init(secret: AgentSecret, timeout: TimeAmount, address: String, authenticated: EventLoopPromise<Void>) {
        self.machine = AgentClientHandshake(secret: secret)
        self.timeout = timeout
        self.address = address
        self.authenticated = authenticated
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let timeout = self.timeout
        self.deadline = context.eventLoop.scheduleTask(in: timeout) {
            let (handler, context) = loopBound.value
            handler.finish(.failure(AgentProtocolError(.authenticationFailed, "no handshake within \(timeout)")))
            context.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.finish(.failure(AgentProtocolError(.connectionClosed, "the connection closed during the handshake")))
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.machine.received(Self.unwrapInboundIn(data)) {
        case .forward:
            context.fireChannelRead(data)
        case .respond(let response):
            var buffer = context.channel.allocator.buffer(capacity: 192)
            do {
                try AgentWire.encode(response, into: &buffer)
            } catch {
                self.finish(.failure(error))
                context.close(promise: nil)
                return
            }
            context.writeAndFlush(Self.wrapOutboundOut(buffer), promise: nil)
        case .authenticated:
            self.finish(.success(()))
        case .close(let error):
            self.finish(
                .failure(AgentProtocolError(error.kind, "the agent at \(self.address) failed authentication: \(error)"))
            )
            context.close(promise: nil)
        case .ignore:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.finish(
            .failure(
                AgentProtocolError(
                    .authenticationFailed,
                    "the agent at \(self.address) closed the connection during the handshake (a wrong cluster secret?)"
                )
            )
        )
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.finish(.failure(AgentProtocolError(.connectionClosed, "agent connection failed: \(error)")))
        context.fireErrorCaught(error)
    }

    private func finish(_ result: Result<Void, AgentProtocolError>) {
        guard !self.done else { return }
        self.done = true
        self.deadline?.cancel()
        self.deadline = nil
        self.authenticated.completeWith(result.mapError { $0 as any Error })
    }
}

@available(*, unavailable)
extension AgentClientAuthHandler: Sendable {}
