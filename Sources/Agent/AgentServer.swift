import NIOCore
import NIOPosix
import Synchronization

/// How an ``AgentServer`` executes a request.
public enum AgentRequestHandler: Sendable {
    /// Answered at once on the connection's event loop; answers leave in request order (the simulator's).
    case immediate(@Sendable (AgentRequest) -> AgentAnswer)
    /// Answered by async work (a real hypervisor: a start takes seconds); each request runs as its own task, so
    /// a quick command is not held behind a slow one and answers may leave out of order. The management server's
    /// ``AgentConnectionPool`` matches answers to requests by `seq`, so order does not matter to it.
    case concurrent(@Sendable (AgentRequest) async -> AgentAnswer)
}

/// The agent side of the agent protocol, apart from what executes the commands: a TCP listener whose
/// connections must first prove the cluster secret (``AgentSecret``) and whose requests then go to a
/// ``AgentRequestHandler``. ``SimulatorAgent`` and the QEMU host agent both serve through it.
///
/// ```swift
/// let server = AgentServer(secret: secret, handler: .immediate { request in ... })
/// let port = try await server.start(address: "127.0.0.1", port: 0)
/// ...
/// await server.shutdown()
/// ```
public final class AgentServer: Sendable {
    private let state = Mutex<(channel: (any Channel)?, connections: [ObjectIdentifier: any Channel])>((nil, [:]))
    private let secret: AgentSecret
    private let handshakeTimeout: TimeAmount
    private let handler: AgentRequestHandler

    /// Creates a server (not listening yet).
    /// - Parameters:
    ///   - secret: the cluster secret every connection must prove before a command is answered.
    ///   - handshakeTimeout: how long a new connection may take to prove it before it is closed.
    ///   - handler: what executes the requests.
    public init(secret: AgentSecret, handshakeTimeout: Duration = .seconds(10), handler: AgentRequestHandler) {
        self.secret = secret
        self.handshakeTimeout = TimeAmount(handshakeTimeout)
        self.handler = handler
    }

    /// The port the server listens on, once started.
    public var port: Int? {
        self.state.withLock { $0.channel?.localAddress?.port }
    }

    /// Binds the listening socket.
    /// - Parameters:
    ///   - address: the address to listen on.
    ///   - port: the port (0 picks a free one).
    ///   - group: the event loops.
    /// - Returns: the bound port.
    /// - Throws: NIO's socket errors (e.g. the port is in use).
    @discardableResult
    public func start(
        address: String = "127.0.0.1",
        port: Int = 0,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> Int {
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { [self] channel in
                let key = ObjectIdentifier(channel)
                self.state.withLock { $0.connections[key] = channel }
                channel.closeFuture.whenComplete { [self] _ in
                    _ = self.state.withLock { $0.connections.removeValue(forKey: key) }
                }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers(
                        ByteToMessageHandler(AgentFrameDecoder()),
                        AgentServerAuthHandler(secret: self.secret, timeout: self.handshakeTimeout),
                        AgentServerHandler(handler: self.handler)
                    )
                }
            }
            .bind(host: address, port: port)
            .get()
        self.state.withLock { $0.channel = channel }
        return channel.localAddress?.port ?? port
    }

    /// Stops listening and closes every connection (the management servers then see the agent unreachable).
    /// Requests still being executed finish; their answers are dropped.
    public func shutdown() async {
        let (listener, connections) = self.state.withLock { server in
            let taken = (server.channel, Array(server.connections.values))
            server = (nil, [:])
            return taken
        }
        try? await listener?.close()
        for connection in connections { try? await connection.close() }
    }
}

/// The agent side of a connection: decodes requests and writes each answer; a malformed frame closes it.
final class AgentServerHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let handler: AgentRequestHandler

    init(handler: AgentRequestHandler) {
        self.handler = handler
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let request: AgentRequest
        do {
            request = try AgentWire.decode(AgentRequest.self, from: Self.unwrapInboundIn(data))
        } catch {
            context.close(promise: nil)
            return
        }
        switch self.handler {
        case .immediate(let handle):
            Self.write(handle(request), context: context, flush: false)
        case .concurrent(let handle):
            let promise = context.eventLoop.makePromise(of: AgentAnswer.self)
            promise.completeWithTask { await handle(request) }
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            promise.futureResult.whenSuccess { answer in
                Self.write(answer, context: bound.value, flush: true)
            }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private static func write(_ answer: AgentAnswer, context: ChannelHandlerContext, flush: Bool) {
        guard context.channel.isActive else { return }
        var out = context.channel.allocator.buffer(capacity: 256)
        do {
            try AgentWire.encode(answer, into: &out)
        } catch {
            context.close(promise: nil)
            return
        }
        if flush {
            context.writeAndFlush(Self.wrapOutboundOut(out), promise: nil)
        } else {
            context.write(Self.wrapOutboundOut(out), promise: nil)
        }
    }
}

@available(*, unavailable)
extension AgentServerHandler: Sendable {}
