import Logging
import NIOCore
import NIOPosix
import Synchronization

/// The server's data directory: a txn log that every write reaches (and, with forceSync, is fsynced to) before
/// its reply goes out, and periodic snapshots.
///
/// Layout of `dataDir`:
/// - `log.<zxid>`: txn log files, named by the first zxid they may hold (16 hex digits). A new file starts at
///   every snapshot and at every start of the server. Format: `TxnLogFormat`. The open log is filled with zeros
///   1 MiB ahead of its last entry, so that a batch's fsync need not also commit a new file size; closing the log
///   cuts the zeros off, and recovery takes a tail of zeros as the clean end of a log that was not closed.
/// - `snapshot.<zxid>`: the whole tree and the sessions as of that zxid, written to `.tmp`, fsynced, then
///   renamed. Format: `SnapshotFormat`.
/// - `.lock`: held with an exclusive `flock` while a server runs, so a second server on the same directory
///   fails to start instead of corrupting it.
///
/// Recovery loads the newest snapshot whose checksum holds, then replays every log entry with a larger zxid, in
/// order. The first torn or corrupt entry ends the log: the file is cut there and later files are removed.
/// Sessions come back with their full timeout. After a snapshot only the newest three snapshots, and the logs
/// they need, are kept.
///
/// Group commit: a write appends its txn to a queue under the server lock; one thread takes everything queued,
/// writes it, fsyncs once, and releases the replies that waited for it.
final class DataDirectory: Sendable {
    private struct IOState {
        var logFD: Int32 = -1
        var logPath = ""
        /// Where the next entry of the open log goes.
        var logEnd = 0
        /// How far the open log is filled with zeros ahead of `logEnd`.
        var logAllocated = 0
        var core: ServerCore?
        var closed = false
    }

    let path: String
    /// Held open with an exclusive lock so that two servers never share a data directory.
    private let lockFD: Int32
    private let config: ZooKeeperServerConfiguration
    private let logger: Logger
    private let io = Mutex(IOState())
    /// The log writer's thread.
    private let pool: NIOThreadPool
    /// Where snapshots are serialized, so that writing one never delays the acknowledgement of writes.
    private let snapshotPool: NIOThreadPool

    private init(path: String, lockFD: Int32, config: ZooKeeperServerConfiguration, logger: Logger) {
        self.path = path
        self.lockFD = lockFD
        self.config = config
        self.logger = logger
        self.pool = NIOThreadPool(numberOfThreads: 1)
        self.pool.start()
        self.snapshotPool = NIOThreadPool(numberOfThreads: 1)
        self.snapshotPool.start()
    }

    /// Opens (creating) a data directory.
    static func open(
        path: String,
        config: ZooKeeperServerConfiguration,
        logger: Logger
    ) throws(ZooKeeperServerError)
        -> DataDirectory
    {
        try PosixFile.makeDirectories(path)
        let lockFD = try PosixFile.lockExclusively(path + "/.lock")
        return DataDirectory(path: path, lockFD: lockFD, config: config, logger: logger)
    }

    private func file(_ name: String) -> String { self.path + "/" + name }

    private static func zxid(of name: String, prefix: String) -> Int64? {
        guard name.hasPrefix(prefix), !name.hasSuffix(".tmp"),
            let value = UInt64(name.dropFirst(prefix.count), radix: 16)
        else { return nil }
        return Int64(bitPattern: value)
    }

    // MARK: recovery

    /// Rebuilds the server state from the newest valid snapshot and the log after it.
    func recover(now: Int64) throws(ZooKeeperServerError) -> CoreState {
        var state = CoreState(config: self.config, now: now, persistent: true)
        let names = try PosixFile.list(self.path)
        let snapshots = names.compactMap { n in Self.zxid(of: n, prefix: "snapshot.").map { (n, $0) } }
            .sorted { $0.1 > $1.1 }
        for (name, _) in snapshots {
            guard let image = SnapshotFormat.decode(try PosixFile.read(self.file(name))) else {
                self.logger.warning("skipping invalid snapshot", metadata: ["file": "\(name)"])
                continue
            }
            state.tree = image.tree
            for session in image.sessions {
                state.sessions.add(id: session.id, timeout: session.timeout, password: session.password, now: now)
            }
            break
        }
        let logs = names.compactMap { n in Self.zxid(of: n, prefix: "log.").map { (n, $0) } }.sorted { $0.1 < $1.1 }
        var broken = false
        var replayed = 0
        for (name, _) in logs {
            let path = self.file(name)
            if broken {
                self.logger.warning("removing log after a corrupt one", metadata: ["file": "\(name)"])
                PosixFile.remove(path)
                continue
            }
            let bytes = try PosixFile.read(path)
            let (entries, validLength, headerValid) = TxnLogFormat.readEntries(bytes)
            for entry in entries where entry.header.zxid > state.tree.lastProcessedZxid {
                state.replay(entry, now: now)
                replayed += 1
            }
            // Zeros after the last entry are the preallocated part of a log the server did not close.
            let zeroTail = headerValid && bytes[validLength...].allSatisfy { $0 == 0 }
            if zeroTail && validLength < bytes.count {
                try PosixFile.truncate(path, to: validLength)
            } else if !headerValid || validLength < bytes.count {
                self.logger.warning(
                    "txn log has a torn or corrupt tail; cutting it off",
                    metadata: ["file": "\(name)", "validBytes": "\(validLength)", "bytes": "\(bytes.count)"]
                )
                if headerValid { try PosixFile.truncate(path, to: validLength) } else { PosixFile.remove(path) }
                broken = true
            }
        }
        state.durableZxid = state.tree.lastProcessedZxid
        self.logger.info(
            "recovered data directory",
            metadata: [
                "zxid": "0x\(String(state.tree.lastProcessedZxid, radix: 16))", "replayed": "\(replayed)",
                "sessions": "\(state.sessions.sessions.count)",
            ]
        )
        return state
    }

    // MARK: writing

    /// Connects the directory to the core whose txns it syncs.
    func attach(_ core: ServerCore) {
        self.io.withLock { $0.core = core }
    }

    /// Starts the writer thread on what the core has queued (called when a step leaves txns and no sync runs).
    func scheduleSync() {
        self.pool.submit { [self] state in
            if state == .active { self.syncLoop() }
        }
    }

    private func syncLoop() {
        guard let core = self.io.withLock({ $0.core }) else { return }
        while true {
            let work: ([LoggedTxn], SnapshotFormat.Image?)? = core.state.withLock { state in
                if state.unsynced.isEmpty {
                    state.syncInFlight = false
                    return nil
                }
                let batch = state.unsynced
                state.unsynced = []
                var image: SnapshotFormat.Image?
                if state.snapshotDue {
                    state.snapshotDue = false
                    state.txnsSinceSnapshot = 0
                    image = state.snapshotImage()
                }
                return (batch, image)
            }
            guard let (batch, image) = work else { return }
            do {
                if let milliseconds = try self.append(batch) { core.recordFsync(milliseconds: milliseconds) }
            } catch {
                // Without a log there is no durability: stop serving rather than acknowledge what may be lost.
                self.logger.critical(
                    "cannot write the txn log; closing all connections",
                    metadata: ["error": "\(error)"]
                )
                core.fail()
                return
            }
            if let last = batch.last { core.markDurable(last.header.zxid) }
            if let image {
                // Roll the log here, in txn order; serialize the snapshot elsewhere.
                self.rollLog()
                self.snapshotPool.submit { [self] state in
                    if state == .active { self.writeSnapshot(image) }
                }
            }
        }
    }

    /// Appends a batch to the log (fsynced with forceSync).
    /// - Returns: how long the fsync took in milliseconds, nil without one.
    private func append(_ batch: [LoggedTxn]) throws(ZooKeeperServerError) -> Double? {
        guard let first = batch.first else { return nil }
        var buffer = ByteBuffer()
        for entry in batch { TxnLogFormat.appendEntry(entry, to: &buffer) }
        let forceSync = self.config.forceSync
        return try self.io.withLock { (io) throws(ZooKeeperServerError) -> Double? in
            guard !io.closed else { throw ZooKeeperServerError(.shutDown, "data directory closed") }
            if io.logFD < 0 {
                io.logPath = self.file(TxnLogFormat.fileName(firstZxid: first.header.zxid))
                io.logFD = try PosixFile.openForWriting(io.logPath)
                let header = TxnLogFormat.fileHeader()
                try PosixFile.write(io.logFD, header, at: 0, path: io.logPath)
                io.logEnd = header.count
                io.logAllocated = header.count
                PosixFile.syncDirectory(self.path)
            }
            let fd = io.logFD
            let path = io.logPath
            let bytes = Array(buffer.readableBytesView)
            if io.logEnd + bytes.count > io.logAllocated {
                // Fill the file with zeros ahead of the entries (FileTxnLog's preAllocSize), so that the fsync of
                // a batch flushes its data only, not a new file size and new blocks every time.
                let size = io.logEnd + bytes.count + Self.preallocation
                try PosixFile.write(
                    fd,
                    [UInt8](repeating: 0, count: size - io.logAllocated),
                    at: io.logAllocated,
                    path: path
                )
                io.logAllocated = size
            }
            try PosixFile.write(fd, bytes, at: io.logEnd, path: path)
            io.logEnd += bytes.count
            guard forceSync else { return nil }
            let started = ContinuousClock.now
            try PosixFile.sync(fd, path: path)
            let (seconds, attoseconds) = (ContinuousClock.now - started).components
            return Double(seconds) * 1000 + Double(attoseconds) / 1e15
        }
    }

    /// Closes the current log so that the next txn starts a new file.
    private func rollLog() {
        self.io.withLock { io in Self.closeLog(&io) }
    }

    /// Closes the open log, cutting off the zeros preallocated past its last entry.
    private static func closeLog(_ io: inout IOState) {
        guard io.logFD >= 0 else { return }
        if (try? PosixFile.truncate(io.logFD, to: io.logEnd, path: io.logPath)) != nil {
            try? PosixFile.sync(io.logFD, path: io.logPath)
        }
        PosixFile.close(io.logFD)
        io.logFD = -1
    }

    /// Zeros written ahead of the log's entries at a time.
    static let preallocation = 1 << 20

    /// Writes a snapshot and purges old files.
    private func writeSnapshot(_ image: SnapshotFormat.Image) {
        do {
            try PosixFile.writeAtomically(
                SnapshotFormat.encode(image),
                to: self.file(SnapshotFormat.fileName(zxid: image.zxid)),
                directory: self.path
            )
            try self.purge()
        } catch {
            self.logger.error("snapshot failed", metadata: ["error": "\(error)"])
        }
    }

    /// Keeps the newest three snapshots and the logs they need (`PurgeTxnLog`, snapRetainCount 3).
    private func purge() throws(ZooKeeperServerError) {
        let names = try PosixFile.list(self.path)
        let snapshots = names.compactMap { n in Self.zxid(of: n, prefix: "snapshot.").map { (n, $0) } }
            .sorted { $0.1 > $1.1 }
        guard snapshots.count > 3 else { return }
        for (name, _) in snapshots.dropFirst(3) { PosixFile.remove(self.file(name)) }
        let oldestKept = snapshots[2].1
        let logs = names.compactMap { n in Self.zxid(of: n, prefix: "log.").map { (n, $0) } }.sorted { $0.1 < $1.1 }
        // A log holds [its start, the next log's start); it is needed if that range reaches past oldestKept.
        for (index, (name, _)) in logs.enumerated() where index + 1 < logs.count {
            if logs[index + 1].1 <= oldestKept + 1 { PosixFile.remove(self.file(name)) }
        }
    }

    /// Syncs what is queued, writes a final snapshot if asked, and closes the log.
    func close(snapshot: Bool) async {
        let core = self.io.withLock { $0.core }
        // Let a snapshot in progress finish (queued ones are dropped: the final one supersedes them) so that the
        // final purge sees every file.
        try? await self.snapshotPool.shutdownGracefully()
        try? await self.pool.runIfActive { [self] in
            self.syncLoop()
            if snapshot, let core {
                let image = core.state.withLock { $0.snapshotImage() }
                self.rollLog()
                self.writeSnapshot(image)
            }
            self.io.withLock { io in
                Self.closeLog(&io)
                io.closed = true
                io.core = nil
            }
        }
        try? await self.pool.shutdownGracefully()
        PosixFile.close(self.lockFD)
    }
}

extension CoreState {
    /// Applies a logged txn during recovery, keeping the session table in step.
    mutating func replay(_ entry: LoggedTxn, now: Int64) {
        _ = self.tree.apply(entry.header, entry.txn)
        switch entry.txn {
        case .createSession(let sessionId, let timeout, let password):
            self.sessions.add(id: sessionId, timeout: timeout, password: password, now: now)
        case .closeSession(let sessionId):
            self.sessions.remove(sessionId)
        case .create, .delete, .setData, .setACL, .check, .multi, .error:
            break
        }
    }

    /// The tree and sessions as a snapshot.
    func snapshotImage() -> SnapshotFormat.Image {
        SnapshotFormat.Image(
            zxid: self.tree.lastProcessedZxid,
            sessions: self.sessions.sessions.values.sorted { $0.id < $1.id }
                .map { ($0.id, $0.timeout, $0.password) },
            tree: self.tree
        )
    }
}
