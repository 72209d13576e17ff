import Logging
import NIOCore
import Synchronization
import ZooKeeperProtocol

/// The server's one serialized executor: the state behind a lock, and the steps the network layer calls.
///
/// Each call runs one step under the lock; the frames it produces are handed to the connections' sinks (in the
/// order decided) once everything before them is durable.
final class ServerCore: Sendable {
    let state: Mutex<CoreState>
    let clock: any ServerClock
    let config: ZooKeeperServerConfiguration
    let logger: Logger
    /// Starts the log writer when a step leaves txns to sync (nil in memory-only mode).
    let startSync: (@Sendable () -> Void)?

    init(
        config: ZooKeeperServerConfiguration,
        clock: any ServerClock,
        logger: Logger = Logger(label: "zoostack.zookeeper.server"),
        initialState: CoreState? = nil,
        startSync: (@Sendable () -> Void)? = nil
    ) {
        self.config = config
        self.clock = clock
        self.logger = logger
        self.startSync = startSync
        self.state = Mutex(
            initialState
                ?? CoreState(config: config, now: clock.nowMilliseconds(), persistent: startSync != nil)
        )
    }

    private func step<R>(_ body: (inout CoreState) -> R) -> R {
        let now = self.clock.nowMilliseconds()
        let (result, needsSync) = self.state.withLock { state in
            let result = body(&state)
            return (result, state.finishStep(now: now))
        }
        if needsSync { self.startSync?() }
        return result
    }

    /// Adds a connection.
    /// - Returns: its id, or nil when its address is over `maxClientCnxns`.
    func register(sink: any ConnectionSink, host: String, port: Int) -> ConnectionID? {
        let now = self.clock.nowMilliseconds()
        let id = self.state.withLock { $0.register(sink: sink, host: host, port: port, now: now) }
        if id == nil {
            self.logger.warning(
                "Too many connections from this address",
                metadata: ["address": "\(host)", "maxClientCnxns": "\(self.config.maxClientCnxns)"]
            )
        }
        return id
    }

    /// Forgets a closed connection.
    func unregister(_ connection: ConnectionID) {
        self.step { $0.unregister(connection) }
    }

    /// Handles a ConnectRequest.
    func connect(_ connection: ConnectionID, _ request: ConnectRequest) -> CoreState.ConnectOutcome {
        var generator = SystemRandomNumberGenerator()
        let password = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let now = self.clock.nowMilliseconds()
        let outcome = self.step { $0.connect(connection, request, password: password, now: now) }
        switch outcome {
        case .established(let sessionId):
            self.logger.debug(
                "Session established",
                metadata: [
                    "session": "0x\(String(UInt64(bitPattern: sessionId), radix: 16))",
                    "resumed": "\(request.sessionId != 0)",
                ]
            )
        case .rejected:
            self.logger.debug(
                "Session refused (unknown, expired, bad password or zxid ahead of the server)",
                metadata: ["session": "0x\(String(UInt64(bitPattern: request.sessionId), radix: 16))"]
            )
        }
        return outcome
    }

    /// Handles a request of an established connection.
    func process(_ connection: ConnectionID, _ header: RequestHeader, _ request: ClientRequest) {
        let now = self.clock.nowMilliseconds()
        self.step { $0.process(connection, header, request, now: now) }
    }

    /// Expires due sessions and, every `containerCheckInterval`, removes empty containers and expired TTL nodes.
    func tick() {
        let now = self.clock.nowMilliseconds()
        let expired = self.step { $0.tick(now: now) }
        for session in expired {
            self.logger.info(
                "Expiring session",
                metadata: [
                    "session": "0x\(String(UInt64(bitPattern: session.id), radix: 16))",
                    "timeout": "\(session.timeout)ms",
                ]
            )
        }
    }

    /// Answers a four-letter word.
    func fourLetterWord(_ word: String) -> String {
        let now = self.clock.nowMilliseconds()
        return self.state.withLock { FourLetterWords.answer(word, state: $0, now: now) }
    }

    /// The metrics now (what `mntr` prints).
    func metrics() -> ZooKeeperMetrics {
        let now = self.clock.nowMilliseconds()
        return self.state.withLock { $0.metrics(now: now, version: FourLetterWords.version) }
    }

    /// Records one fsync of the txn log.
    func recordFsync(milliseconds: Double) {
        self.state.withLock { $0.stats.fsync.record(milliseconds: milliseconds) }
    }

    /// Closes every client connection (shutdown).
    func closeAllConnections() {
        self.state.withLock { state in
            for entry in state.connections.values { entry.sink.send([], close: true) }
        }
    }

    /// Stops serving after the txn log failed, as Apache's SyncRequestProcessor does (a critical thread exiting
    /// takes the server down): every connection closes, unacknowledged writes stay unacknowledged, and new
    /// connections are refused.
    func fail() {
        self.state.withLock { state in
            state.failed = true
            state.gated.removeAll()
            for entry in state.connections.values { entry.sink.send([], close: true) }
        }
    }

    /// Records that txns up to `zxid` are durable, releasing their replies.
    func markDurable(_ zxid: Int64) {
        let now = self.clock.nowMilliseconds()
        self.state.withLock { $0.markDurable(zxid, now: now) }
    }
}
