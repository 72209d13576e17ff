import NIOCore
import NIOPosix
import Synchronization
import ZooKeeperProtocol

/// A minimal ZooKeeper client speaking raw frames, to test the server over real TCP without the client library.
struct RawClient {
    let channel: any Channel
    private var frames: AsyncStream<ByteBuffer>.Iterator
    private var nextXid: Int32 = 1

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

    /// Connects (without a handshake); the connection is closed after `lifetime` in any case.
    static func open(port: Int, lifetime: TimeAmount = .seconds(20)) async throws -> RawClient {
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
        channel.eventLoop.scheduleTask(in: lifetime) { channel.close(promise: nil) }
        return RawClient(channel: channel, frames: stream.makeAsyncIterator())
    }

    /// Connects and completes the handshake.
    static func connect(
        port: Int,
        timeout: Int32 = 10000,
        sessionId: Int64 = 0,
        password: [UInt8] = [UInt8](repeating: 0, count: 16),
        lastZxidSeen: Int64 = 0
    ) async throws -> (RawClient, ConnectResponse) {
        var client = try await self.open(port: port)
        try await client.sendRaw(
            ConnectRequest(lastZxidSeen: lastZxidSeen, timeOut: timeout, sessionId: sessionId, passwd: password)
        )
        guard let frame = try await client.nextFrame() else { throw RawClientError.closed }
        return (client, try ConnectResponse.decodeWhole(frame))
    }

    /// Sends a frame holding just `record`.
    func sendRaw(_ record: some JuteRecord) async throws {
        var buffer = self.channel.allocator.buffer(capacity: 64)
        buffer.writeZooKeeperFrame { record.encode(to: &$0) }
        try await self.channel.writeAndFlush(buffer)
    }

    /// Sends raw bytes.
    func sendBytes(_ bytes: [UInt8]) async throws {
        try await self.channel.writeAndFlush(self.channel.allocator.buffer(bytes: bytes))
    }

    /// Sends a request with the next xid.
    /// - Returns: the xid used.
    @discardableResult
    mutating func send(_ type: OpCode, _ record: some JuteRecord, xid: Int32? = nil) async throws -> Int32 {
        let xid = xid ?? self.nextXid
        if xid > 0 { self.nextXid = xid + 1 }
        var buffer = self.channel.allocator.buffer(capacity: 64)
        buffer.writeRequestFrame(RequestHeader(xid: xid, type: type), record)
        try await self.channel.writeAndFlush(buffer)
        return xid
    }

    /// The next frame, or nil once the server closed the connection.
    mutating func nextFrame() async throws -> ByteBuffer? {
        await self.frames.next()
    }

    /// The next reply or notification: its header and the body bytes.
    mutating func nextReply() async throws -> (ReplyHeader, ByteBuffer) {
        guard var frame = try await self.nextFrame() else { throw RawClientError.closed }
        let header = try ReplyHeader(from: &frame)
        return (header, frame)
    }

    /// Sends a request and reads its reply, failing on any notification in between.
    mutating func call<R: JuteRecord>(
        _ type: OpCode,
        _ record: some JuteRecord,
        as: R.Type
    ) async throws -> (
        ReplyHeader, R?
    ) {
        let xid = try await self.send(type, record)
        let (header, body) = try await self.nextReply()
        guard header.xid == xid else { throw RawClientError.unexpected(header) }
        guard header.err == .ok else { return (header, nil) }
        return (header, try R.decodeWhole(body))
    }

    /// Whether the server closes the connection (reading and discarding frames until then).
    mutating func isClosedByServer() async -> Bool {
        while (try? await self.nextFrame()) ?? nil != nil {}
        return true
    }

    func close() async {
        try? await self.channel.close()
    }

    /// Sends a four-letter word on a fresh connection and returns the text the server writes before closing.
    static func fourLetterWord(_ word: String, port: Int) async throws -> String {
        final class Accumulator: ChannelInboundHandler, Sendable {
            typealias InboundIn = ByteBuffer
            let promise: EventLoopPromise<String>
            let text = Mutex("")
            init(_ promise: EventLoopPromise<String>) { self.promise = promise }
            func channelRead(context: ChannelHandlerContext, data: NIOAny) {
                let buffer = self.unwrapInboundIn(data)
                self.text.withLock { $0 += String(buffer: buffer) }
            }
            func channelInactive(context: ChannelHandlerContext) {
                self.promise.succeed(self.text.withLock { $0 })
            }
        }
        let group = MultiThreadedEventLoopGroup.singleton
        let promise = group.next().makePromise(of: String.self)
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Accumulator(promise))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        channel.eventLoop.scheduleTask(in: .seconds(10)) { channel.close(promise: nil) }
        try await channel.writeAndFlush(channel.allocator.buffer(string: word))
        return try await promise.futureResult.get()
    }
}

enum RawClientError: Error {
    case closed
    case unexpected(ReplyHeader)
}
