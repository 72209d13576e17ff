import NIOCore
import NIOPosix

/// A QMP client over QEMU's unix socket (`-qmp unix:PATH,server=on,wait=off`): it reads the greeting, negotiates
/// capabilities (none enabled), runs commands matched to replies by `id`, and delivers events on `events`.
///
/// QEMU serves one QMP client at a time per socket: a second client waits until the first disconnects, so
/// `connect` fails with `.timeout` while another client holds the socket.
public final class QMPClient: Sendable {
    /// The server's greeting.
    public let greeting: QMPGreeting
    /// Asynchronous events, in arrival order; finishes when the connection closes. Meant for one consumer; when
    /// nobody reads, the newest 1024 are kept.
    public let events: AsyncStream<QMPEvent>
    private let connection: QMPConnection
    private let channel: any Channel

    private init(greeting: QMPGreeting, events: AsyncStream<QMPEvent>, connection: QMPConnection, channel: any Channel)
    {
        self.greeting = greeting
        self.events = events
        self.connection = connection
        self.channel = channel
    }

    /// Connects to a QMP socket and negotiates capabilities.
    /// - Parameters:
    ///   - socketPath: the unix socket QEMU listens on.
    ///   - timeout: how long the greeting and negotiation may take.
    ///   - maxMessageLength: the largest message accepted from QEMU; a longer one closes the connection.
    ///   - eventLoopGroup: where the socket runs.
    /// - Returns: a ready client.
    /// - Throws: `.protocolError` when the socket cannot be reached or QEMU breaks the protocol; `.timeout` when
    ///   no greeting or negotiation reply arrives in time.
    public static func connect(
        socketPath: String,
        timeout: Duration = .seconds(5),
        maxMessageLength: Int = 4 << 20,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws(QEMUError) -> QMPClient {
        let (events, continuation) = AsyncStream.makeStream(of: QMPEvent.self, bufferingPolicy: .bufferingNewest(1024))
        let connection = QMPConnection(maxMessageLength: maxMessageLength, events: continuation)
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: eventLoopGroup)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(QMPChannelHandler(connection: connection))
                    }
                }
                .connect(unixDomainSocketPath: socketPath).get()
        } catch {
            continuation.finish()
            throw QEMUError(.protocolError, "cannot connect to QMP socket \(socketPath): \(error)")
        }
        connection.attach(channel)
        let deadline = channel.eventLoop.scheduleTask(in: TimeAmount(timeout)) {
            connection.negotiationTimedOut()
        }
        let result = await connection.waitReady()
        deadline.cancel()
        switch result {
        case .success(let greeting):
            return QMPClient(greeting: greeting, events: events, connection: connection, channel: channel)
        case .failure(let error):
            try? await channel.close().get()
            throw error
        }
    }

    /// Runs a command and returns its `return` value.
    /// - Parameters:
    ///   - command: the command (e.g. `query-status`).
    ///   - arguments: its arguments, if any.
    ///   - timeout: how long QEMU may take to answer; a late answer is dropped.
    /// - Returns: the reply's `return` value (`{}` for commands that return nothing).
    /// - Throws: `.commandFailed` ("COMMAND: CLASS: DESC") when QEMU answers with an error; `.protocolError` when
    ///   the connection closes first; `.timeout` when no answer comes in time.
    @discardableResult
    public func execute(
        _ command: String,
        arguments: [String: JSONValue]? = nil,
        timeout: Duration = .seconds(30)
    ) async throws(QEMUError) -> JSONValue {
        try await self.connection.execute(command, arguments: arguments, timeout: timeout).get()
    }

    /// Whether the connection is over (closed by either side, or broken).
    public var isClosed: Bool { self.connection.isClosed }

    /// Closes the connection: commands in flight fail with `.protocolError` and `events` finishes. QEMU keeps
    /// running.
    public func close() async {
        try? await self.channel.close().get()
        await self.connection.waitClosed()
    }
}

/// Reads the socket into the connection.
final class QMPChannelHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let connection: QMPConnection

    init(connection: QMPConnection) {
        self.connection = connection
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = self.unwrapInboundIn(data)
        self.connection.received(buffer.readableBytesView, on: context.channel)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.connection.channelClosed()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension QMPChannelHandler: Sendable {}
