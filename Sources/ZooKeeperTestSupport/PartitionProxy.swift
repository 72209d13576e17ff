import NIOCore
import NIOPosix
import Synchronization

/// A TCP proxy on loopback in front of one server, which a test can cut off ("partition") and heal: while cut,
/// open connections are closed and new ones are closed as soon as they arrive.
public final class PartitionProxy: Sendable {
    private struct State {
        var partitioned = false
        var channels: [ObjectIdentifier: any Channel] = [:]
    }

    private let state = Mutex(State())
    private let listener = Mutex<(any Channel)?>(nil)
    /// The proxied server's host.
    public let targetHost: String
    /// The proxied server's port.
    public let targetPort: Int

    /// Creates a proxy in front of `targetHost:targetPort` (call ``start()``).
    public init(targetHost: String, targetPort: Int) {
        self.targetHost = targetHost
        self.targetPort = targetPort
    }

    /// Starts listening on a free loopback port; returns it.
    public func start() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { inbound in
                self.accept(inbound)
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        self.listener.withLock { $0 = channel }
        return channel.localAddress!.port!
    }

    private func accept(_ inbound: any Channel) -> EventLoopFuture<Void> {
        let cut = self.state.withLock { state -> Bool in
            if !state.partitioned { state.channels[ObjectIdentifier(inbound)] = inbound }
            return state.partitioned
        }
        if cut { return inbound.close() }
        inbound.closeFuture.whenComplete { _ in
            _ = self.state.withLock { $0.channels.removeValue(forKey: ObjectIdentifier(inbound)) }
        }
        return ClientBootstrap(group: inbound.eventLoop)
            .channelInitializer { outbound in
                outbound.eventLoop.makeCompletedFuture {
                    try outbound.pipeline.syncOperations.addHandler(Relay(peer: inbound))
                }
            }
            .connect(host: self.targetHost, port: self.targetPort)
            .flatMapThrowing { outbound in
                self.state.withLock { $0.channels[ObjectIdentifier(outbound)] = outbound }
                outbound.closeFuture.whenComplete { _ in
                    _ = self.state.withLock { $0.channels.removeValue(forKey: ObjectIdentifier(outbound)) }
                    inbound.close(promise: nil)
                }
                inbound.closeFuture.whenComplete { _ in outbound.close(promise: nil) }
                try inbound.pipeline.syncOperations.addHandler(Relay(peer: outbound))
            }
    }

    /// Cuts every connection and refuses new ones until `heal()`.
    public func partition() {
        let channels = self.state.withLock { state -> [any Channel] in
            state.partitioned = true
            defer { state.channels = [:] }
            return Array(state.channels.values)
        }
        for channel in channels { channel.close(promise: nil) }
    }

    /// Lets connections through again.
    public func heal() {
        self.state.withLock { $0.partitioned = false }
    }

    /// Stops the proxy.
    public func stop() async {
        self.partition()
        try? await self.listener.withLock { $0 }?.close()
    }
}

/// Copies bytes read on one channel to its peer.
private final class Relay: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    private let peer: any Channel

    init(peer: any Channel) { self.peer = peer }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.peer.writeAndFlush(self.unwrapInboundIn(data), promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.peer.close(promise: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
