import Logging
import NIOCore
import NIOPosix
import Synchronization
import ZooKeeperProtocol

/// A reply to one request: its header and, when `header.err` is OK, its body.
struct Reply: Sendable {
    var header: ReplyHeader
    var body: ByteBuffer
}

/// How a reply registers a one-shot watch.
struct WatchRegistration {
    var sink: WatchSink
    var kind: WatchKind
    /// The server path (chroot included).
    var path: String
}

/// A request waiting to be sent or answered.
struct Outgoing {
    var op: OpCode
    /// The whole request frame (length, header, record), encoded by the caller's thread; its xid is written when
    /// the request is sent.
    var frame: ByteBuffer
    var promise: EventLoopPromise<Reply>
    var watch: WatchRegistration?
    var xid: Int32 = 0

    init(op: OpCode, _ record: some JuteRecord, promise: EventLoopPromise<Reply>, watch: WatchRegistration?) {
        self.op = op
        self.frame = ByteBufferAllocator().buffer(capacity: 128)
        self.frame.writeRequestFrame(RequestHeader(xid: 0, type: op), record)
        self.promise = promise
        self.watch = watch
    }
}

/// Requests made off the event loop, waiting for it: one `execute` drains a whole batch, so a burst of requests
/// from many tasks costs one wake-up of the loop rather than one each.
struct Inbox: ~Copyable {
    var requests: [Outgoing] = []
    var drainScheduled = false
}

/// The connection engine behind `ZooKeeperClient`: one TCP connection at a time, the session state machine, the
/// queue of requests in flight (answered in xid order), pings, watches and reconnects.
///
/// Every mutable field is touched only on `eventLoop`.
final class ClientConnection: @unchecked Sendable {
    // Safety: all mutable state below is confined to `eventLoop`; public entry points hop onto it.
    let eventLoop: any EventLoop
    let configuration: ZooKeeperClientConfiguration
    let logger: Logger
    let servers: [ZooKeeperClientConfiguration.Server]

    var machine: ClientSessionStateMachine
    var channel: (any Channel)?
    var generation = 0
    var nextXid: Int32 = 1
    var pending = CircularBuffer<Outgoing>(initialCapacity: 64)
    let inbox = Mutex(Inbox())
    var queued: [Outgoing] = []
    var authInfo: [(scheme: String, auth: [UInt8])]
    var authWaiters: [Int: EventLoopPromise<Void>] = [:]
    var authPending = CircularBuffer<EventLoopPromise<Void>?>()
    var closePromise: EventLoopPromise<Void>?
    var firstConnect: EventLoopPromise<Void>?
    var watches = WatchRegistry()
    var stateListeners: [Int: AsyncStream<ConnectionState>.Continuation] = [:]
    var nextListener = 0
    var flushScheduled = false
    var pinger: RepeatedTask?
    var handshakeTimeout: Scheduled<Void>?
    var lastSend = NIODeadline.now()
    var lastReceive = NIODeadline.now()
    /// The highest zxid seen in a reply.
    var lastZxid: Int64 = 0

    init(
        configuration: ZooKeeperClientConfiguration,
        eventLoop: any EventLoop,
        logger: Logger,
        resume: (Int64, [UInt8])?
    ) {
        self.configuration = configuration
        self.eventLoop = eventLoop
        self.logger = logger
        self.servers = configuration.shuffleServers ? configuration.servers.shuffled() : configuration.servers
        self.authInfo = configuration.authInfo
        let timeout = configuration.sessionTimeout.components
        let ms = timeout.seconds * 1000 + timeout.attoseconds / 1_000_000_000_000_000
        self.machine = ClientSessionStateMachine(
            serverCount: configuration.servers.count,
            requestedTimeout: Int32(clamping: ms),
            reconnectWithNewSession: configuration.reconnectWithNewSessionOnExpiry,
            resume: resume
        )
    }

    // MARK: public entry points (any thread)

    /// Starts connecting; the future completes when the first session is established.
    func start() -> EventLoopFuture<Void> {
        let promise = self.eventLoop.makePromise(of: Void.self)
        self.eventLoop.execute {
            self.firstConnect = promise
            self.run(self.machine.start())
        }
        return promise.futureResult
    }

    /// Sends a request (queued while reconnecting) and returns its reply.
    func request(_ op: OpCode, _ record: some JuteRecord, watch: WatchRegistration? = nil) -> EventLoopFuture<Reply> {
        let promise = self.eventLoop.makePromise(of: Reply.self)
        let outgoing = Outgoing(op: op, record, promise: promise, watch: watch)
        if self.eventLoop.inEventLoop {
            // Requests still in the inbox were made earlier: they go first.
            self.drainInbox()
            self.submit(outgoing)
        } else {
            let schedule = self.inbox.withLock { inbox in
                inbox.requests.append(outgoing)
                defer { inbox.drainScheduled = true }
                return !inbox.drainScheduled
            }
            if schedule { self.eventLoop.execute { self.drainInbox() } }
        }
        return promise.futureResult
    }

    /// Adds credentials: sent now if connected and on every reconnect.
    func addAuth(scheme: String, auth: [UInt8]) -> EventLoopFuture<Void> {
        let promise = self.eventLoop.makePromise(of: Void.self)
        self.eventLoop.execute {
            guard self.machine.acceptsRequests else {
                promise.fail(KeeperError(self.machine.terminalError))
                return
            }
            self.authInfo.append((scheme, auth))
            if self.machine.isConnected, let channel = self.channel {
                self.sendAuth(scheme: scheme, auth: auth, promise: promise, channel: channel)
                self.flush(channel)
            } else {
                self.authWaiters[self.authInfo.count - 1] = promise
            }
        }
        return promise.futureResult
    }

    /// Closes the session (closeSession, then the socket).
    func close() -> EventLoopFuture<Void> {
        self.finish { $0.closeRequested() }
    }

    /// Drops the connection without closeSession; the session lives on until it times out.
    func abandon() -> EventLoopFuture<Void> {
        self.finish { $0.abandonRequested() }
    }

    /// Ends the client once, by `request`; later calls (close or abandon) wait for that first end.
    private func finish(
        _ request: @escaping @Sendable (inout ClientSessionStateMachine) -> [ClientSessionStateMachine.Action]
    ) -> EventLoopFuture<Void> {
        let promise = self.eventLoop.makePromise(of: Void.self)
        self.eventLoop.execute {
            if let existing = self.closePromise {
                existing.futureResult.cascade(to: promise)
                return
            }
            self.closePromise = promise
            self.run(request(&self.machine))
        }
        return promise.futureResult
    }

    /// A new subscription to connection state changes.
    func stateStream() -> AsyncStream<ConnectionState> {
        let (stream, continuation) = AsyncStream.makeStream(of: ConnectionState.self)
        self.eventLoop.execute {
            let id = self.nextListener
            self.nextListener += 1
            self.stateListeners[id] = continuation
            continuation.onTermination = { _ in
                self.eventLoop.execute { self.stateListeners[id] = nil }
            }
        }
        return stream
    }

    /// Adds a persistent (or recursive) watch sink once the server accepted it; runs on the loop.
    func registerPersistent(_ sink: WatchSink, kind: WatchKind, path: String) {
        self.eventLoop.execute { self.watches.add(sink, kind: kind, path: path) }
    }

    /// Removes watches locally and ends them with the matching removal event.
    func removeLocalWatches(path: String, type: WatcherType) -> EventLoopFuture<Int> {
        self.eventLoop.submit {
            let removed = self.watches.remove(path: path, type: type)
            for (sink, eventType) in removed {
                sink.deliver(WatchEvent(type: eventType, path: self.stripChroot(path)))
                sink.end(throwing: nil)
            }
            return removed.count
        }
    }

    /// Whether a watch of this kind is held locally.
    func hasLocalWatch(path: String, type: WatcherType) -> EventLoopFuture<Bool> {
        self.eventLoop.submit {
            switch type {
            case .data: self.watches.has(.data, path: path) || self.watches.has(.exist, path: path)
            case .children: self.watches.has(.child, path: path)
            default: WatchKind.allCases.contains { self.watches.has($0, path: path) }
            }
        }
    }

    /// The live session's id and password, and the negotiated timeout in ms.
    func sessionInfo() -> EventLoopFuture<(Int64, [UInt8], Int32)> {
        self.eventLoop.submit { (self.machine.sessionId, self.machine.password, self.machine.negotiatedTimeout) }
    }

    /// The address of the server the client is connected to, if any.
    func currentServer() -> EventLoopFuture<ZooKeeperClientConfiguration.Server?> {
        self.eventLoop.submit {
            guard self.machine.isConnected, let address = self.channel?.remoteAddress, let port = address.port else {
                return nil
            }
            return ZooKeeperClientConfiguration.Server(host: address.ipAddress ?? "?", port: port)
        }
    }

    // MARK: chroot

    func applyChroot(_ path: String) -> String {
        guard let chroot = self.configuration.chroot else { return path }
        return path == "/" ? chroot : chroot + path
    }

    func stripChroot(_ path: String) -> String {
        guard let chroot = self.configuration.chroot else { return path }
        if path == chroot { return "/" }
        if path.hasPrefix(chroot), path.utf8.dropFirst(chroot.utf8.count).first == UInt8(ascii: "/") {
            return String(path.dropFirst(chroot.count))
        }
        return path
    }

    // MARK: loop-confined machinery

    func drainInbox() {
        let requests = self.inbox.withLock { inbox in
            inbox.drainScheduled = false
            return inbox.requests.isEmpty ? [] : Self.take(&inbox.requests)
        }
        for outgoing in requests { self.submit(outgoing) }
    }

    private static func take(_ requests: inout [Outgoing]) -> [Outgoing] {
        var taken: [Outgoing] = []
        taken.reserveCapacity(requests.count)
        swap(&taken, &requests)
        return taken
    }

    func submit(_ outgoing: Outgoing) {
        if self.machine.isConnected, let channel = self.channel {
            self.write(outgoing, on: channel)
            self.scheduleFlush(channel)
        } else if self.machine.acceptsRequests {
            self.queued.append(outgoing)
        } else {
            outgoing.promise.fail(KeeperError(self.machine.terminalError))
        }
    }

    func write(_ outgoing: Outgoing, on channel: any Channel) {
        var outgoing = outgoing
        outgoing.xid = self.nextXid
        self.nextXid = self.nextXid == Int32.max ? 1 : self.nextXid + 1
        // The frame starts with its length; the request header's xid follows.
        outgoing.frame.setInteger(outgoing.xid, at: outgoing.frame.readerIndex + 4)
        let frame = outgoing.frame
        self.pending.append(outgoing)
        self.lastSend = .now()
        channel.write(frame, promise: nil)
    }

    func writeSpecial(xid: Int32, op: OpCode, _ record: some JuteRecord, on channel: any Channel) {
        var frame = channel.allocator.buffer(capacity: 64)
        frame.writeRequestFrame(RequestHeader(xid: xid, type: op), record)
        self.lastSend = .now()
        channel.write(frame, promise: nil)
    }

    func scheduleFlush(_ channel: any Channel) {
        guard !self.flushScheduled else { return }
        self.flushScheduled = true
        self.eventLoop.execute {
            self.flushScheduled = false
            channel.flush()
        }
    }

    func flush(_ channel: any Channel) {
        channel.flush()
    }

    func sendAuth(scheme: String, auth: [UInt8], promise: EventLoopPromise<Void>?, channel: any Channel) {
        self.writeSpecial(
            xid: SpecialXid.auth,
            op: .auth,
            AuthPacket(type: 0, scheme: scheme, auth: auth),
            on: channel
        )
        self.authPending.append(promise)
    }

    func emit(_ state: ConnectionState) {
        for listener in self.stateListeners.values { listener.yield(state) }
    }

    func failInFlight(_ code: KeeperError.Code, includingQueued: Bool) {
        let error = KeeperError(code)
        while let outgoing = self.pending.popFirst() { outgoing.promise.fail(error) }
        while let promise = self.authPending.popFirst() { promise?.fail(error) }
        if includingQueued {
            let queued = self.queued
            self.queued = []
            for outgoing in queued { outgoing.promise.fail(error) }
            let waiters = self.authWaiters
            self.authWaiters = [:]
            for promise in waiters.values { promise.fail(error) }
        }
    }

    func endWatches(_ error: (any Error)?) {
        for sink in self.watches.removeAll() { sink.end(throwing: error) }
    }

}

/// Hands frames and connection loss of one TCP connection to its `ClientConnection`.
final class ClientChannelHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    let connection: ClientConnection
    let generation: Int
    let server: ZooKeeperClientConfiguration.Server

    init(connection: ClientConnection, generation: Int, server: ZooKeeperClientConfiguration.Server) {
        self.connection = connection
        self.generation = generation
        self.server = server
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.connection.frameReceived(self.unwrapInboundIn(data), generation: self.generation)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.connection.channelClosed(generation: self.generation)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if ZooKeeperTLSError.isTLSFailure(error) {
            self.connection.tlsFailed(error, server: self.server, generation: self.generation)
        }
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension ClientChannelHandler: Sendable {}
