import NIOCore
import ZooKeeperProtocol

/// A txn as it goes to the log.
struct LoggedTxn: Hashable, Sendable {
    var header: TxnHeader
    var txn: Txn
}

/// One open client connection as the server core sees it.
struct ConnectionEntry {
    /// Where its bytes go.
    let sink: any ConnectionSink
    /// The client's address (`ip:` id, maxClientCnxns key).
    let host: String
    /// The client's port, for `cons`.
    let remotePort: Int
    /// When it connected, epoch milliseconds.
    let connectedAt: Int64
    /// Its session, once the handshake is done.
    var sessionId: Int64?
    /// Its identities: `ip:<host>` plus those of auth packets.
    var authIds: [Id]
    /// Packets received and sent, for `cons` and `stat`.
    var received = 0
    var sent = 0
    /// The zxid of the last reply, for `cons`.
    var lastZxid: Int64 = -1
}

/// Counters for the four-letter words.
struct ServerStats: Sendable {
    var packetsReceived = 0
    var packetsSent = 0
    var latencyMin: Int64 = 0
    var latencyMax: Int64 = 0
    var latencyTotal: Int64 = 0
    var latencyCount: Int64 = 0
    /// The txn log's fsyncs (`fsynctime`).
    var fsync = FsyncStats()

    /// Records the latency of `count` replies (`ServerStats.updateLatency`).
    mutating func record(latency: Int64, count: Int) {
        guard count > 0 else { return }
        let latency = max(0, latency)
        self.latencyMin = self.latencyCount == 0 ? latency : min(self.latencyMin, latency)
        self.latencyMax = max(self.latencyMax, latency)
        self.latencyTotal += latency * Int64(count)
        self.latencyCount += Int64(count)
    }
}

/// All of the server's mutable state, behind one lock: the tree, sessions, watches, connections, and the frames
/// waiting for their txns to reach the disk.
///
/// Every request runs start to finish under the lock, so writes are serialized and each connection's replies
/// come out in request order. Frames are released only once every txn before them is durable.
struct CoreState {
    let config: ZooKeeperServerConfiguration
    var tree = DataTree()
    var sessions: SessionTracker
    var watches = WatchManager()
    var connections: [ConnectionID: ConnectionEntry] = [:]
    var sessionOwners: [Int64: ConnectionID] = [:]
    var nextConnectionId: ConnectionID = 1
    var stats = ServerStats()
    let allocator = ByteBufferAllocator()
    let startedAt: Int64

    /// Whether txns go to a log before their replies go out.
    let persistent: Bool
    /// The newest zxid known to be on disk.
    var durableZxid: Int64 = 0
    /// Txns not yet handed to the log writer.
    var unsynced: [LoggedTxn] = []
    /// Whether the log writer is working.
    var syncInFlight = false
    /// Frames held back until `durableZxid` reaches their zxid.
    var gated = CircularBuffer<(zxid: Int64, since: Int64, outbox: Outbox)>()
    /// The current step's frames.
    var outbox = Outbox()
    /// Txns since the last snapshot.
    var txnsSinceSnapshot = 0
    /// Set when a snapshot is due.
    var snapshotDue = false
    /// When containers and TTL nodes were last swept.
    var lastContainerSweep: Int64
    /// Set when the txn log cannot be written: no write can be made durable, so no client is served.
    var failed = false

    init(config: ZooKeeperServerConfiguration, now: Int64, persistent: Bool) {
        self.config = config
        self.sessions = SessionTracker(
            tickTime: Int64(config.tickTime),
            serverId: Int64(config.serverId),
            now: now
        )
        self.startedAt = now
        self.lastContainerSweep = now
        self.persistent = persistent
    }

    /// The last zxid applied.
    var lastZxid: Int64 { self.tree.lastProcessedZxid }

    // MARK: connections

    /// Adds a connection unless its address already has `maxClientCnxns`.
    mutating func register(sink: any ConnectionSink, host: String, port: Int, now: Int64) -> ConnectionID? {
        if self.failed { return nil }
        if self.config.maxClientCnxns > 0 {
            let fromHost = self.connections.values.lazy.filter { $0.host == host }.count
            if fromHost >= self.config.maxClientCnxns { return nil }
        }
        let id = self.nextConnectionId
        self.nextConnectionId += 1
        self.connections[id] = ConnectionEntry(
            sink: sink,
            host: host,
            remotePort: port,
            connectedAt: now,
            authIds: [Id(scheme: "ip", id: host)]
        )
        return id
    }

    /// Forgets a closed connection and its watches; its session lives on until it expires.
    mutating func unregister(_ connection: ConnectionID) {
        guard let entry = self.connections.removeValue(forKey: connection) else { return }
        self.watches.removeAll(connection: connection)
        if let sessionId = entry.sessionId, self.sessionOwners[sessionId] == connection {
            self.sessionOwners[sessionId] = nil
        }
    }

    // MARK: output

    /// Queues a reply: header, then the body when err is 0.
    mutating func reply(
        _ connection: ConnectionID,
        xid: Int32,
        zxid: Int64? = nil,
        err: KeeperError.Code,
        _ body: (any JuteRecord)? = nil,
        forcedBody: (any JuteRecord)? = nil
    ) {
        let zxid = zxid ?? self.lastZxid
        var buffer = self.allocator.buffer(capacity: 64)
        buffer.writeZooKeeperFrame { buffer in
            ReplyHeader(xid: xid, zxid: zxid, err: err).encode(to: &buffer)
            if err == .ok, let body { body.encode(to: &buffer) }
            // The one error reply with a body: a multiRead holding a write gets an empty multi response.
            if let forcedBody { forcedBody.encode(to: &buffer) }
        }
        self.connections[connection]?.lastZxid = zxid
        self.connections[connection]?.sent += 1
        self.stats.packetsSent += 1
        self.outbox.append(connection, buffer, isReply: xid != SpecialXid.notification)
    }

    /// Queues a frame with no reply header (the ConnectResponse).
    mutating func sendRaw(_ connection: ConnectionID, _ record: some JuteRecord) {
        var buffer = self.allocator.buffer(capacity: 64)
        buffer.writeZooKeeperFrame { record.encode(to: &$0) }
        self.outbox.append(connection, buffer)
        self.stats.packetsSent += 1
    }

    /// Queues a watch notification (xid -1, zxid -1).
    mutating func notify(_ connection: ConnectionID, _ event: WatcherEvent) {
        guard self.connections[connection] != nil else { return }
        self.reply(connection, xid: SpecialXid.notification, zxid: -1, err: .ok, event)
    }

    /// Asks for a connection to close once its frames are out.
    mutating func close(_ connection: ConnectionID) { self.outbox.close(connection) }

    /// Ends a step: its frames go out now if everything before them is durable, else they wait their turn.
    /// - Returns: whether the log writer must be started.
    mutating func finishStep(now: Int64) -> Bool {
        let outbox = self.outbox
        self.outbox = Outbox()
        if !outbox.isEmpty {
            if self.gated.isEmpty && self.durableZxid >= self.lastZxid {
                self.stats.record(latency: 0, count: outbox.replies)
                self.deliver(outbox)
            } else {
                self.gated.append((self.lastZxid, now, outbox))
            }
        }
        guard self.persistent, !self.unsynced.isEmpty, !self.syncInFlight else { return false }
        self.syncInFlight = true
        return true
    }

    /// Records that txns up to `zxid` are on disk and releases the frames that waited for them.
    mutating func markDurable(_ zxid: Int64, now: Int64) {
        self.durableZxid = max(self.durableZxid, zxid)
        while let first = self.gated.first, first.zxid <= self.durableZxid {
            let released = self.gated.removeFirst()
            self.stats.record(latency: now - released.since, count: released.outbox.replies)
            self.deliver(released.outbox)
        }
    }

    private func deliver(_ outbox: Outbox) {
        for connection in outbox.order {
            guard let item = outbox.items[connection], let entry = self.connections[connection] else { continue }
            entry.sink.send(item.frames, close: item.close)
        }
    }

    // MARK: txns

    /// Applies a txn with the next zxid, logs it, and queues the notifications it fires.
    @discardableResult
    mutating func commit(_ txn: Txn, sessionId: Int64, cxid: Int32, now: Int64) -> TxnOutcome {
        let header = TxnHeader(sessionId: sessionId, cxid: cxid, zxid: self.lastZxid + 1, time: now)
        let (outcome, triggers) = self.tree.apply(header, txn)
        if self.persistent {
            self.unsynced.append(LoggedTxn(header: header, txn: txn))
            self.txnsSinceSnapshot += 1
            if self.txnsSinceSnapshot >= self.config.snapCount { self.snapshotDue = true }
        } else {
            self.durableZxid = header.zxid
        }
        for trigger in triggers {
            for (connection, event) in self.watches.fire(trigger) { self.notify(connection, event) }
        }
        return outcome
    }
}
