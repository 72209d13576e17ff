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
    private let servers: [ZooKeeperClientConfiguration.Server]

    private var machine: ClientSessionStateMachine
    private var channel: (any Channel)?
    private var generation = 0
    private var nextXid: Int32 = 1
    private var pending = CircularBuffer<Outgoing>(initialCapacity: 64)
    private let inbox = Mutex(Inbox())
    private var queued: [Outgoing] = []
    private var authInfo: [(scheme: String, auth: [UInt8])]
    private var authWaiters: [Int: EventLoopPromise<Void>] = [:]
    private var authPending = CircularBuffer<EventLoopPromise<Void>?>()
    private var closePromise: EventLoopPromise<Void>?
    private var firstConnect: EventLoopPromise<Void>?
    private(set) var watches = WatchRegistry()
    private var stateListeners: [Int: AsyncStream<ConnectionState>.Continuation] = [:]
    private var nextListener = 0
    private var flushScheduled = false
    private var pinger: RepeatedTask?
    private var handshakeTimeout: Scheduled<Void>?
    private var lastSend = NIODeadline.now()
    private var lastReceive = NIODeadline.now()
    /// The highest zxid seen in a reply.
    private(set) var lastZxid: Int64 = 0

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
        let promise = self.eventLoop.makePromise(of: Void.self)
        self.eventLoop.execute {
            if let existing = self.closePromise {
                existing.futureResult.cascade(to: promise)
                return
            }
            self.closePromise = promise
            self.run(self.machine.closeRequested())
        }
        return promise.futureResult
    }

    /// Drops the connection without closeSession; the session lives on until it times out.
    func abandon() -> EventLoopFuture<Void> {
        let promise = self.eventLoop.makePromise(of: Void.self)
        self.eventLoop.execute {
            if let existing = self.closePromise {
                existing.futureResult.cascade(to: promise)
                return
            }
            self.closePromise = promise
            self.run(self.machine.abandonRequested())
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

    private func drainInbox() {
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

    private func submit(_ outgoing: Outgoing) {
        if self.machine.isConnected, let channel = self.channel {
            self.write(outgoing, on: channel)
            self.scheduleFlush(channel)
        } else if self.machine.acceptsRequests {
            self.queued.append(outgoing)
        } else {
            outgoing.promise.fail(KeeperError(self.machine.terminalError))
        }
    }

    private func write(_ outgoing: Outgoing, on channel: any Channel) {
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

    private func writeSpecial(xid: Int32, op: OpCode, _ record: some JuteRecord, on channel: any Channel) {
        var frame = channel.allocator.buffer(capacity: 64)
        frame.writeRequestFrame(RequestHeader(xid: xid, type: op), record)
        self.lastSend = .now()
        channel.write(frame, promise: nil)
    }

    private func scheduleFlush(_ channel: any Channel) {
        guard !self.flushScheduled else { return }
        self.flushScheduled = true
        self.eventLoop.execute {
            self.flushScheduled = false
            channel.flush()
        }
    }

    private func flush(_ channel: any Channel) {
        channel.flush()
    }

    private func sendAuth(scheme: String, auth: [UInt8], promise: EventLoopPromise<Void>?, channel: any Channel) {
        self.writeSpecial(
            xid: SpecialXid.auth,
            op: .auth,
            AuthPacket(type: 0, scheme: scheme, auth: auth),
            on: channel
        )
        self.authPending.append(promise)
    }

    private func emit(_ state: ConnectionState) {
        for listener in self.stateListeners.values { listener.yield(state) }
    }

    private func failInFlight(_ code: KeeperError.Code, includingQueued: Bool) {
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

    private func endWatches(_ error: (any Error)?) {
        for sink in self.watches.removeAll() { sink.end(throwing: error) }
    }

    private func run(_ actions: [ClientSessionStateMachine.Action]) {
        for action in actions { self.run(action) }
    }

    private func run(_ action: ClientSessionStateMachine.Action) {
        switch action {
        case .connect(let index, let delay):
            self.generation += 1
            let generation = self.generation
            if delay > 0 {
                self.eventLoop.scheduleTask(in: .milliseconds(delay)) {
                    guard generation == self.generation else { return }
                    self.openChannel(index: index, generation: generation)
                }
            } else {
                self.openChannel(index: index, generation: generation)
            }
        case .sendConnectRequest(let request):
            guard let channel = self.channel else { return }
            var frame = channel.allocator.buffer(capacity: 64)
            frame.writeZooKeeperFrame { request.encode(to: &$0) }
            channel.writeAndFlush(frame, promise: nil)
            let generation = self.generation
            let timeout = max(Int64(request.timeOut) / Int64(max(self.servers.count, 1)), 1000)
            self.handshakeTimeout = self.eventLoop.scheduleTask(in: .milliseconds(timeout)) {
                if generation == self.generation, !self.machine.isConnected { channel.close(promise: nil) }
            }
        case .established(let state):
            self.handshakeTimeout?.cancel()
            guard let channel = self.channel else { return }
            self.prime(channel)
            self.emit(state)
            self.firstConnect?.succeed(())
            self.firstConnect = nil
        case .connectionLost(let state):
            self.pinger?.cancel()
            self.pinger = nil
            self.channel = nil
            self.failInFlight(.connectionLoss, includingQueued: true)
            if let state { self.emit(state) }
        case .expire:
            self.pinger?.cancel()
            self.failInFlight(.sessionExpired, includingQueued: !self.configuration.reconnectWithNewSessionOnExpiry)
            self.endWatches(KeeperError(.sessionExpired))
            self.emit(.expired)
            self.firstConnect?.fail(KeeperError(.sessionExpired))
            if !self.configuration.reconnectWithNewSessionOnExpiry { self.firstConnect = nil }
        case .failAuth:
            self.pinger?.cancel()
            self.failInFlight(.authFailed, includingQueued: true)
            self.endWatches(KeeperError(.authFailed))
            self.emit(.authFailed)
            self.firstConnect?.fail(KeeperError(.authFailed))
            self.firstConnect = nil
        case .sendCloseSession:
            guard let channel = self.channel else {
                self.run(self.machine.closeSessionDone())
                return
            }
            let promise = self.eventLoop.makePromise(of: Reply.self)
            self.write(Outgoing(op: .closeSession, EmptyRecord(), promise: promise, watch: nil), on: channel)
            channel.flush()
            let timeout = self.eventLoop.scheduleTask(in: .seconds(2)) { promise.fail(KeeperError(.connectionLoss)) }
            promise.futureResult.whenComplete { _ in
                timeout.cancel()
                self.run(self.machine.closeSessionDone())
            }
        case .closeChannel:
            self.handshakeTimeout?.cancel()
            self.channel?.close(promise: nil)
        case .closed:
            self.pinger?.cancel()
            self.pinger = nil
            self.generation += 1
            self.channel = nil
            self.failInFlight(.connectionLoss, includingQueued: true)
            self.endWatches(nil)
            self.emit(.closed)
            for listener in self.stateListeners.values { listener.finish() }
            self.stateListeners = [:]
            self.firstConnect?.fail(KeeperError(.connectionLoss))
            self.firstConnect = nil
            self.closePromise?.succeed(())
        }
    }

    private func openChannel(index: Int, generation: Int) {
        let server = self.servers[index]
        let timeoutMs = max(
            Int64(self.machine.negotiatedTimeout == 0 ? 10_000 : Int(self.machine.negotiatedTimeout))
                / Int64(max(self.servers.count, 1)),
            1000
        )
        let maxFrame = self.configuration.maxFrameLength
        ClientBootstrap(group: self.eventLoop)
            .connectTimeout(.milliseconds(timeoutMs))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(ZooKeeperFrameDecoder(maxFrameLength: maxFrame))
                    )
                    try channel.pipeline.syncOperations.addHandler(
                        ClientChannelHandler(connection: self, generation: generation)
                    )
                }
            }
            .connect(host: server.host, port: server.port)
            .whenComplete { result in
                switch result {
                case .success(let channel):
                    guard generation == self.generation else {
                        channel.close(promise: nil)
                        return
                    }
                    self.channel = channel
                    self.lastReceive = .now()
                    self.run(self.machine.channelConnected(lastZxidSeen: self.lastZxid))
                case .failure(let error):
                    guard generation == self.generation else { return }
                    self.logger.debug("connect to \(server) failed: \(error)")
                    self.run(self.machine.connectFailed())
                }
            }
    }

    private func prime(_ channel: any Channel) {
        if !self.watches.isEmpty {
            for request in self.watches.setWatchesRequests(relativeZxid: self.lastZxid) {
                self.writeSpecial(xid: SpecialXid.setWatches, op: request.opCode, request, on: channel)
            }
        }
        for (index, info) in self.authInfo.enumerated() {
            self.sendAuth(
                scheme: info.scheme,
                auth: info.auth,
                promise: self.authWaiters.removeValue(forKey: index),
                channel: channel
            )
        }
        let queued = self.queued
        self.queued = []
        for outgoing in queued { self.write(outgoing, on: channel) }
        channel.flush()
        self.startPinger(channel)
    }

    private func startPinger(_ channel: any Channel) {
        self.pinger?.cancel()
        let timeout = Int64(self.machine.negotiatedTimeout)
        let readTimeout = timeout * 2 / 3
        let pingInterval = max(timeout / 3, 1)
        let generation = self.generation
        self.pinger = self.eventLoop.scheduleRepeatedTask(
            initialDelay: .milliseconds(max(pingInterval / 2, 1)),
            delay: .milliseconds(max(pingInterval / 2, 1))
        ) { task in
            guard generation == self.generation, self.machine.isConnected else {
                task.cancel()
                return
            }
            let now = NIODeadline.now()
            if now - self.lastReceive > .milliseconds(readTimeout) {
                self.logger.debug("no reply for \(readTimeout) ms, closing connection")
                channel.close(promise: nil)
                return
            }
            if now - self.lastSend >= .milliseconds(pingInterval) {
                self.writeSpecial(xid: SpecialXid.ping, op: .ping, EmptyRecord(), on: channel)
                channel.flush()
            }
        }
    }

    // MARK: inbound (called by ClientChannelHandler on the loop)

    func frameReceived(_ frame: ByteBuffer, generation: Int) {
        guard generation == self.generation, let channel = self.channel else { return }
        self.lastReceive = .now()
        var frame = frame
        if self.machine.isHandshaking {
            do {
                let response = try ConnectResponse(from: &frame)
                self.run(self.machine.connectResponse(response))
            } catch {
                self.logger.debug("bad ConnectResponse: \(error)")
                channel.close(promise: nil)
            }
            return
        }
        let header: ReplyHeader
        do {
            header = try ReplyHeader(from: &frame)
        } catch {
            channel.close(promise: nil)
            return
        }
        switch header.xid {
        case SpecialXid.notification:
            guard let event = try? WatcherEvent(from: &frame) else {
                channel.close(promise: nil)
                return
            }
            let sinks = self.watches.materialize(type: event.type, path: event.path)
            let delivered = WatchEvent(type: event.type, path: self.stripChroot(event.path))
            for sink in sinks { sink.deliver(delivered) }
        case SpecialXid.ping, SpecialXid.setWatches:
            break
        case SpecialXid.auth:
            let promise = self.authPending.popFirst() ?? nil
            if header.err == .authFailed {
                promise?.fail(KeeperError(.authFailed))
                self.run(self.machine.authFailed())
            } else if header.err != .ok {
                promise?.fail(KeeperError(header.err))
            } else {
                promise?.succeed(())
            }
        default:
            guard let outgoing = self.pending.popFirst() else {
                self.logger.debug("reply xid \(header.xid) with nothing pending")
                channel.close(promise: nil)
                return
            }
            guard outgoing.xid == header.xid else {
                // ClientCnxn treats an out-of-order xid as fatal: the connection is lost.
                self.logger.debug("xid out of order: expected \(outgoing.xid), got \(header.xid)")
                self.pending.prepend(outgoing)
                channel.close(promise: nil)
                return
            }
            if header.zxid > 0 { self.lastZxid = header.zxid }
            if let watch = outgoing.watch {
                if header.err == .ok {
                    self.watches.add(watch.sink, kind: watch.kind, path: watch.path)
                } else if header.err == .noNode && watch.kind == .data && outgoing.op == .exists {
                    self.watches.add(watch.sink, kind: .exist, path: watch.path)
                } else {
                    watch.sink.end(throwing: KeeperError(header.err, path: self.stripChroot(watch.path)))
                }
            }
            outgoing.promise.succeed(Reply(header: header, body: frame))
        }
    }

    func channelClosed(generation: Int) {
        guard generation == self.generation else { return }
        self.channel = nil
        self.run(self.machine.channelClosed())
    }
}

/// Hands frames and connection loss of one TCP connection to its `ClientConnection`.
final class ClientChannelHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let connection: ClientConnection
    private let generation: Int

    init(connection: ClientConnection, generation: Int) {
        self.connection = connection
        self.generation = generation
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.connection.frameReceived(self.unwrapInboundIn(data), generation: self.generation)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.connection.channelClosed(generation: self.generation)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension ClientChannelHandler: Sendable {}
