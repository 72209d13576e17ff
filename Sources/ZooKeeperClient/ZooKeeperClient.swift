import Logging
import NIOCore
import NIOPosix
import ZooKeeperProtocol

/// An async ZooKeeper client speaking the wire protocol of Apache ZooKeeper 3.8 over SwiftNIO.
///
/// One session over one connection at a time; many requests in flight, answered in order; pings at a third of the
/// negotiated timeout; on connection loss the same session is resumed on the next server and watches are
/// re-registered with setWatches2 from the last zxid seen.
///
/// ```swift
/// let zk = try await ZooKeeperClient.connect(connectString: "127.0.0.1:2181/app")
/// try await zk.create("/config", data: Array("on".utf8))
/// let (data, stat) = try await zk.getData("/config")
/// await zk.close()
/// ```
public final class ZooKeeperClient: Sendable {
    let connection: ClientConnection

    /// An executor that runs tasks on the client's own event loop. A task that issues many requests runs fastest
    /// under `withTaskExecutorPreference(client.taskExecutor) { ... }`: its requests are written and its replies
    /// resume it without a thread hop either way.
    public let taskExecutor: EventLoopTaskExecutor

    /// The configuration the client was made with.
    public var configuration: ZooKeeperClientConfiguration { self.connection.configuration }

    /// The ACL nodes get when a create names none (the configuration's ``ZooKeeperClientConfiguration/defaultACL``):
    /// recipes built on this client create their nodes with it.
    public var defaultACL: [ACL] { self.connection.configuration.defaultACL }

    private init(connection: ClientConnection) {
        self.connection = connection
        self.taskExecutor = EventLoopTaskExecutor(eventLoop: connection.eventLoop)
    }

    /// Connects and waits for a session.
    /// - Parameters:
    ///   - configuration: servers, chroot, session timeout.
    ///   - session: an existing session to resume (its id and password), as Java's
    ///     `ZooKeeper(connectString, timeout, watcher, sessionId, passwd)` does.
    ///   - eventLoopGroup: where the connection runs.
    ///   - logger: where connection events are logged.
    /// - Returns: a connected client.
    /// - Throws: `KeeperError` `.sessionExpired` when a resumed session is gone, `.connectionLoss` when no server
    ///   answered within the session timeout.
    public static func connect(
        configuration: ZooKeeperClientConfiguration,
        session: SessionCredentials? = nil,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "zookeeper.client")
    ) async throws -> ZooKeeperClient {
        let connection = ClientConnection(
            configuration: configuration,
            eventLoop: eventLoopGroup.next(),
            logger: logger,
            resume: session.map { ($0.sessionId, $0.password) }
        )
        let client = ZooKeeperClient(connection: connection)
        let started = connection.start()
        let deadline = max(configuration.sessionTimeout, .seconds(5))
        let timer = connection.eventLoop.scheduleTask(
            in: .nanoseconds(Int64(deadline.components.seconds) * 1_000_000_000)
        ) {}
        timer.futureResult.whenSuccess { _ = connection.close() }
        do {
            try await started.get()
            timer.cancel()
            return client
        } catch {
            timer.cancel()
            try? await connection.close().get()
            throw error
        }
    }

    /// Connects to a ZooKeeper connect string (`host:port,host:port/chroot`) and waits for a session.
    /// - Parameters:
    ///   - connectString: the servers and optional chroot.
    ///   - sessionTimeout: the session timeout to ask for.
    /// - Returns: a connected client.
    /// - Throws: `ZooKeeperClientConfiguration.InvalidConnectString` or `KeeperError`.
    public static func connect(
        connectString: String,
        sessionTimeout: Duration = .seconds(10)
    ) async throws -> ZooKeeperClient {
        try await self.connect(
            configuration: ZooKeeperClientConfiguration(connectString: connectString, sessionTimeout: sessionTimeout)
        )
    }

    /// Ends the session (closeSession: its ephemeral nodes go) and closes the connection. Idempotent.
    public func close() async {
        try? await self.connection.close().get()
    }

    /// Stops the client without ending its session, as a crashed process would: the connection is dropped, the
    /// session (and its ephemeral nodes) lives until it times out, and another client given `session` may resume
    /// it with `connect(configuration:session:)`.
    public func disconnectKeepingSession() async {
        try? await self.connection.abandon().get()
    }

    /// The live session's id, password and negotiated timeout.
    public var session: SessionCredentials {
        get async throws {
            let (id, password, timeout) = try await self.connection.sessionInfo().get()
            return SessionCredentials(sessionId: id, password: password, negotiatedTimeout: .milliseconds(timeout))
        }
    }

    /// The server the client is connected to now, if any.
    public var currentServer: ZooKeeperClientConfiguration.Server? {
        get async { try? await self.connection.currentServer().get() }
    }

    /// A new stream of connection state changes, from now on (connected, suspended, reconnected, expired,
    /// authFailed, closed); it ends when the client closes.
    /// - Returns: the stream.
    public func connectionStates() -> AsyncStream<ConnectionState> {
        self.connection.stateStream()
    }

    // MARK: helpers

    func validate(_ path: String, sequential: Bool = false) throws(KeeperError) {
        do {
            try PathValidation.validate(path, isSequential: sequential)
        } catch {
            throw KeeperError(.badArguments, path: path)
        }
    }

    func call<R: JuteRecord>(
        _ op: OpCode,
        _ request: some JuteRecord,
        path: String?,
        watch: WatchRegistration? = nil,
        as: R.Type
    ) async throws -> R {
        let reply = try await self.connection.request(op, request, watch: watch).get()
        guard reply.header.err == .ok else { throw KeeperError(reply.header.err, path: path) }
        do {
            return try R.decodeWhole(reply.body)
        } catch {
            throw KeeperError(.marshallingError, path: path)
        }
    }

    func makeSink(oneShot: Bool) -> (WatchSink, AsyncThrowingStream<WatchEvent, any Error>) {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: WatchEvent.self)
        return (WatchSink(continuation: continuation, oneShot: oneShot), stream)
    }
}

/// A session's identity: what a client needs to resume it on another connection.
public struct SessionCredentials: Hashable, Sendable {
    /// The session id.
    public var sessionId: Int64
    /// The session password.
    public var password: [UInt8]
    /// The timeout the server granted (zero when not known).
    public var negotiatedTimeout: Duration

    /// Makes credentials.
    /// - Parameters:
    ///   - sessionId: the session id.
    ///   - password: the session password.
    ///   - negotiatedTimeout: the granted timeout, if known.
    public init(sessionId: Int64, password: [UInt8], negotiatedTimeout: Duration = .zero) {
        self.sessionId = sessionId
        self.password = password
        self.negotiatedTimeout = negotiatedTimeout
    }
}

/// A one-shot watch left by `existsWatch`, `getDataWatch` or `getChildrenWatch`: it fires at most once.
public struct Watch: Sendable {
    let stream: AsyncThrowingStream<WatchEvent, any Error>
    let triggered: TriggerFlag

    /// Whether the watch has fired. ZooKeeper's ordering guarantee holds here: once a read returns data that
    /// reflects a change, the watch that change triggers has already fired.
    public var isTriggered: Bool { self.triggered.isSet }

    /// Waits for the watch to fire.
    /// - Returns: the event.
    /// - Throws: `KeeperError` `.sessionExpired` (or `.authFailed`) when the session ended first,
    ///   `.connectionLoss` when the client was closed.
    public func event() async throws -> WatchEvent {
        var iterator = self.stream.makeAsyncIterator()
        guard let event = try await iterator.next() else { throw KeeperError(.connectionLoss) }
        return event
    }
}
