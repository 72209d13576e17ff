import CloudCore
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket
import Synchronization

/// The management server's console proxy (CloudStack's console proxy, without a system VM): a websocket at
/// `/websockify?token=TOKEN` whose binary frames carry a VM's VNC (RFB) stream, opened by a single-use token from
/// ``ConsoleSessions`` (`createConsoleEndpoint`). A wrong, used or expired token is answered 403 and no connection
/// to any VNC server is made.
///
/// ```swift
/// let proxy = ConsoleProxyServer(sessions: core.consoleSessions)
/// let port = try await proxy.start(host: "127.0.0.1", port: 0)
/// core.consoleSessions.proxyURL = "ws://127.0.0.1:\(port)/websockify"
/// ...
/// await proxy.shutdown()
/// ```
public final class ConsoleProxyServer: Sendable {
    /// The websocket's path.
    public static let path = "/websockify"
    /// The largest websocket frame accepted from a browser (a VNC client sends small frames).
    static let maxFrameSize = 1 << 20

    private let sessions: ConsoleSessions
    private let listener = Mutex<(any Channel)?>(nil)

    /// - Parameter sessions: the tokens it honours.
    public init(sessions: ConsoleSessions) {
        self.sessions = sessions
    }

    /// The port it listens on, once started.
    public var port: Int? {
        self.listener.withLock { $0?.localAddress?.port }
    }

    /// Starts listening.
    /// - Parameters:
    ///   - host: the address.
    ///   - port: the port (0 picks a free one).
    ///   - group: the event loops.
    /// - Returns: the bound port.
    /// - Throws: NIO's socket errors.
    @discardableResult
    public func start(
        host: String,
        port: Int,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> Int {
        let sessions = self.sessions
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                let upgrader = NIOWebSocketServerUpgrader(
                    maxFrameSize: Self.maxFrameSize,
                    shouldUpgrade: { channel, head in
                        let allowed = Self.token(in: head.uri).map(sessions.isValid) ?? false
                        return channel.eventLoop.makeSucceededFuture(allowed ? HTTPHeaders() : nil)
                    },
                    upgradePipelineHandler: { channel, head in
                        guard let token = Self.token(in: head.uri), let session = sessions.redeem(token) else {
                            return channel.close()
                        }
                        // The refusal handler reads HTTP requests: once upgraded, the bytes are websocket frames.
                        return channel.pipeline.removeHandler(name: RefusalHandler.name).flatMapThrowing {
                            try channel.pipeline.syncOperations.addHandler(VNCBridge(target: session.target))
                        }
                    }
                )
                return channel.pipeline.configureHTTPServerPipeline(
                    withServerUpgrade: (upgraders: [upgrader], completionHandler: { _ in })
                ).flatMap {
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(RefusalHandler(), name: RefusalHandler.name)
                    }
                }
            }
            .bind(host: host, port: port)
            .get()
        self.listener.withLock { $0 = channel }
        return channel.localAddress?.port ?? port
    }

    /// Stops listening (open consoles close with their peers).
    public func shutdown() async {
        let channel = self.listener.withLock { listener in
            defer { listener = nil }
            return listener
        }
        try? await channel?.close()
    }

    /// The `token` query parameter of a request target on ``path``.
    static func token(in uri: String) -> String? {
        let parts = uri.split(separator: "?", maxSplits: 1)
        guard parts.first.map(String.init) == Self.path, parts.count == 2 else { return nil }
        for pair in parts[1].split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1)
            if kv.count == 2, kv[0] == "token", !kv[1].isEmpty { return String(kv[1]) }
        }
        return nil
    }
}

/// Answers every plain HTTP request (and a refused upgrade) with 403: the proxy serves only websockets with a valid
/// token.
final class RefusalHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// Its name in the pipeline (removed when a websocket is upgraded).
    static let name = "console-proxy-refusal"

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .end = Self.unwrapInboundIn(data) else { return }
        let body = "A console session needs a valid, unused token\n"
        var headers = HTTPHeaders()
        headers.add(name: "Content-Length", value: String(body.utf8.count))
        headers.add(name: "Connection", value: "close")
        context.write(
            Self.wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .forbidden, headers: headers))),
            promise: nil
        )
        let buffer = context.channel.allocator.buffer(string: body)
        context.write(Self.wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        context.writeAndFlush(Self.wrapOutboundOut(.end(nil)), promise: nil)
        context.close(promise: nil)
    }
}
