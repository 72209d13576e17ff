import NIOCore
import NIOPosix
import Synchronization
import ZooKeeperProtocol

/// A minimal ZooKeeper client that speaks raw frames over loopback TCP, to test a server (embedded, the
/// `zoostack zookeeper` process or Apache ZooKeeper) without the client library: well-formed requests, hostile
/// bytes, and whether the server closes the connection.
///
/// Every connection is closed after its `lifetime` in any case, so a test that waits on one is bounded.
///
/// ```swift
/// var (client, response) = try await RawZooKeeperClient.connect(port: port)
/// let (header, reply) = try await client.call(.getData, GetDataRequest(path: "/", watch: false), as: GetDataResponse.self)
/// await client.close()
/// ```
public struct RawZooKeeperClient {
    /// The connection's channel.
    public let channel: any Channel
    private var frames: AsyncStream<ByteBuffer>.Iterator
    private var nextXid: Int32 = 1
    private let closedLocally: LocalClose

    /// Whether this side closed the connection (``close()`` or the lifetime), as opposed to the server.
    private final class LocalClose: Sendable {
        private let closed = Mutex(false)
        var isSet: Bool { self.closed.withLock { $0 } }
        func set() { self.closed.withLock { $0 = true } }
    }

    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let continuation: AsyncStream<ByteBuffer>.Continuation
        init(_ continuation: AsyncStream<ByteBuffer>.Continuation) { self.continuation = continuation }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            self.continuation.yield(self.unwrapInboundIn(data))
        }
        func channelInactive(context: ChannelHandlerContext) {
            self.continuation.finish()
            context.fireChannelInactive()
        }
    }

    /// Connects to `127.0.0.1:port` without a handshake.
    ///
    /// - Parameters:
    ///   - port: The server's port.
    ///   - lifetime: When this side closes the connection in any case.
    /// - Returns: The connected client.
    /// - Throws: NIO's connect error when the connection is refused.
    public static func open(port: Int, lifetime: TimeAmount = .seconds(20)) async throws -> RawZooKeeperClient {
        let (stream, continuation) = AsyncStream<ByteBuffer>.makeStream()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        ByteToMessageHandler(ZooKeeperFrameDecoder(maxFrameLength: 1 << 24)),
                        Collector(continuation),
                    ])
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        let closedLocally = LocalClose()
        channel.eventLoop.scheduleTask(in: lifetime) {
            closedLocally.set()
            channel.close(promise: nil)
        }
        return RawZooKeeperClient(channel: channel, frames: stream.makeAsyncIterator(), closedLocally: closedLocally)
    }

    /// Connects and completes the handshake (a `ConnectRequest` and its `ConnectResponse`).
    ///
    /// - Parameters:
    ///   - port: The server's port.
    ///   - timeout: The requested session timeout in milliseconds.
    ///   - sessionId: The session to resume, or 0 for a new one.
    ///   - password: The session's password.
    ///   - lastZxidSeen: The last zxid the client saw.
    /// - Returns: The client and the server's response.
    /// - Throws: ``RawZooKeeperClientError/closed`` when the server closes instead of answering.
    public static func connect(
        port: Int,
        timeout: Int32 = 10000,
        sessionId: Int64 = 0,
        password: [UInt8] = [UInt8](repeating: 0, count: 16),
        lastZxidSeen: Int64 = 0
    ) async throws -> (RawZooKeeperClient, ConnectResponse) {
        var client = try await self.open(port: port)
        try await client.sendRaw(
            ConnectRequest(lastZxidSeen: lastZxidSeen, timeOut: timeout, sessionId: sessionId, passwd: password)
        )
        guard let frame = try await client.nextFrame() else { throw RawZooKeeperClientError.closed }
        return (client, try ConnectResponse.decodeWhole(frame))
    }

    /// Sends a frame holding just `record`.
    public func sendRaw(_ record: some JuteRecord) async throws {
        try await self.sendFrame { record.encode(to: &$0) }
    }

    /// Sends a length-prefixed frame whose body `body` writes (any bytes, well-formed or not).
    public func sendFrame(_ body: (inout ByteBuffer) -> Void) async throws {
        var buffer = self.channel.allocator.buffer(capacity: 64)
        buffer.writeZooKeeperFrame(body)
        try await self.channel.writeAndFlush(buffer)
    }

    /// Sends raw bytes, without a length prefix.
    public func sendBytes(_ bytes: [UInt8]) async throws {
        try await self.channel.writeAndFlush(self.channel.allocator.buffer(bytes: bytes))
    }

    /// Sends a request with the next xid (or `xid`).
    ///
    /// - Returns: The xid used.
    @discardableResult
    public mutating func send(_ type: OpCode, _ record: some JuteRecord, xid: Int32? = nil) async throws -> Int32 {
        let xid = xid ?? self.nextXid
        if xid > 0 { self.nextXid = xid + 1 }
        var buffer = self.channel.allocator.buffer(capacity: 64)
        buffer.writeRequestFrame(RequestHeader(xid: xid, type: type), record)
        try await self.channel.writeAndFlush(buffer)
        return xid
    }

    /// The next frame's body, or `nil` once the connection is closed.
    public mutating func nextFrame() async throws -> ByteBuffer? {
        await self.frames.next()
    }

    /// The next reply or notification: its header and the body bytes.
    ///
    /// - Throws: ``RawZooKeeperClientError/closed`` when the connection closes first.
    public mutating func nextReply() async throws -> (ReplyHeader, ByteBuffer) {
        guard var frame = try await self.nextFrame() else { throw RawZooKeeperClientError.closed }
        let header = try ReplyHeader(from: &frame)
        return (header, frame)
    }

    /// Sends a request and reads its reply, failing on any notification in between.
    ///
    /// - Returns: The reply's header, and its body when the reply is not an error.
    /// - Throws: ``RawZooKeeperClientError`` when the connection closes or another xid answers.
    public mutating func call<R: JuteRecord>(
        _ type: OpCode,
        _ record: some JuteRecord,
        as: R.Type
    ) async throws -> (ReplyHeader, R?) {
        let xid = try await self.send(type, record)
        let (header, body) = try await self.nextReply()
        guard header.xid == xid else { throw RawZooKeeperClientError.unexpected(header) }
        guard header.err == .ok else { return (header, nil) }
        return (header, try R.decodeWhole(body))
    }

    /// Whether the server closes the connection before the client's lifetime ends (frames that arrive until
    /// then are discarded).
    public func isClosedByServer() async -> Bool {
        await Self.isClosedByServer(self.channel, self.closedLocally)
    }

    private static func isClosedByServer(_ channel: any Channel, _ closedLocally: LocalClose) async -> Bool {
        _ = try? await channel.closeFuture.get()
        return !closedLocally.isSet
    }

    /// Whether the server closes the connection within `limit` (and before the client's lifetime ends).
    public func isClosedByServer(within limit: Duration) async -> Bool {
        let (channel, closedLocally) = (self.channel, self.closedLocally)
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask { await Self.isClosedByServer(channel, closedLocally) }
            group.addTask {
                try? await Task.sleep(for: limit)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    /// Closes the connection.
    public func close() async {
        self.closedLocally.set()
        try? await self.channel.close()
    }

    /// Sends a four-letter word (`ruok`, `srvr`, ...) on a fresh connection and returns the text the server
    /// writes before closing it (the same client ``ApacheZooKeeperServer/fourLetterWord(_:)`` uses).
    ///
    /// - Parameters:
    ///   - word: The four letters.
    ///   - port: The server's port.
    /// - Returns: The answer.
    /// - Throws: ``ApacheZooKeeperError`` with code `fourLetterWordFailed` when the connection fails or stalls
    ///   for 10 seconds.
    public static func fourLetterWord(_ word: String, port: Int) async throws -> String {
        try await FourLetterWordClient.send(word, port: port, timeout: .seconds(10))
    }
}

/// Why a ``RawZooKeeperClient`` call failed.
public enum RawZooKeeperClientError: Error {
    /// The connection closed before the answer.
    case closed
    /// A reply with another xid (or a notification) came first.
    case unexpected(ReplyHeader)
}
