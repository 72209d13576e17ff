import Synchronization
import ZooKeeperClient

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file naming the ZooKeeper sessions a process's ephemeral nodes may belong to: each session's id, password
/// and timeout, one per line, mode 0600 (the password lets whoever reads it resume the session).
///
/// A process that crashes leaves its session alive until ZooKeeper expires it, and its ephemeral nodes (a
/// management server's membership, an agent's hosts) with it. The next process started on the same data directory
/// reads the record and closes those sessions (``GroupMember/Takeover``) instead of finding its own id taken; a
/// session is recorded before it creates any node, so no node is left owned by a session the record misses.
///
/// ```
/// 0000018c2f5e0001 6b1f...e2 10000
/// ```
public final class SessionRecord: Sendable {
    /// The file.
    public let path: String
    /// The descriptor of `<path>.lock` while this process holds it (``claim()``).
    private let lock = Mutex<Int32>(-1)

    /// Makes a record kept in `path`; nothing is read or written yet.
    /// - Parameter path: the file.
    public init(path: String) {
        self.path = path
    }

    /// The management server's record in its data directory.
    /// - Parameter directory: the data directory.
    /// - Returns: `<directory>/zookeeper-session`.
    public static func coordinator(directory: String) -> SessionRecord {
        SessionRecord(path: "\(directory)/zookeeper-session")
    }

    /// The record of the in-process agent's session (its hosts' registrations) in a management server's data
    /// directory.
    /// - Parameter directory: the data directory.
    /// - Returns: `<directory>/agent-zookeeper-session`.
    public static func inProcessAgent(directory: String) -> SessionRecord {
        SessionRecord(path: "\(directory)/agent-zookeeper-session")
    }

    /// The sessions recorded (by an earlier process), oldest first; empty when there is no readable record.
    public var sessions: [SessionCredentials] {
        self.lock.withLock { _ in self.read() }
    }

    /// Adds a session, keeping those recorded before it (they may still own nodes until they are closed).
    /// - Parameter session: the session.
    /// - Throws: `CoordinationError` `.recordFailed` when the file cannot be written.
    public func add(_ session: SessionCredentials) throws(CoordinationError) {
        try self.lock.withLock { (_) throws(CoordinationError) in
            var sessions = self.read().filter { $0.sessionId != session.sessionId }
            sessions.append(session)
            try self.store(Array(sessions.suffix(Self.limit)))
        }
    }

    /// Keeps only `session`: the earlier ones no longer own anything.
    /// - Parameter session: the session.
    /// - Throws: `CoordinationError` `.recordFailed` when the file cannot be written.
    public func replace(with session: SessionCredentials) throws(CoordinationError) {
        try self.lock.withLock { (_) throws(CoordinationError) in try self.store([session]) }
    }

    /// Takes `<path>.lock` with an exclusive `flock` until ``release()`` or the process ends: two processes
    /// started on one data directory would otherwise each close the other's session as a dead incarnation's.
    /// - Throws: `CoordinationError` `.recordFailed` when another process (or another claim in this one) holds it.
    public func claim() throws(CoordinationError) {
        try self.lock.withLock { (fd) throws(CoordinationError) in
            guard fd < 0 else { return }
            let lockPath = self.path + ".lock"
            let opened = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            guard opened >= 0 else { throw self.failure("cannot open \(lockPath)") }
            guard flock(opened, LOCK_EX | LOCK_NB) == 0 else {
                close(opened)
                throw CoordinationError(
                    .recordFailed,
                    "\(lockPath) is held: another process runs on this data directory"
                )
            }
            fd = opened
        }
    }

    /// Gives up ``claim()``.
    public func release() {
        self.lock.withLock { fd in
            if fd >= 0 { close(fd) }
            fd = -1
        }
    }

    /// The most sessions kept: a few restarts that each crashed before joining.
    static let limit = 8

    static func encode(_ sessions: [SessionCredentials]) -> String {
        sessions.map { session in
            let timeout = session.negotiatedTimeout.components
            let milliseconds = timeout.seconds * 1000 + timeout.attoseconds / 1_000_000_000_000_000
            return "\(Self.hex(UInt64(bitPattern: session.sessionId))) "
                + "\(session.password.map { Self.hex(UInt64($0), width: 2) }.joined()) \(milliseconds)\n"
        }
        .joined()
    }

    static func decode(_ text: String) -> [SessionCredentials] {
        text.split(separator: "\n").compactMap { line -> SessionCredentials? in
            let fields = line.split(separator: " ", omittingEmptySubsequences: false)
            guard fields.count == 3, let id = UInt64(fields[0], radix: 16), let timeout = Int64(fields[2]),
                timeout >= 0, fields[1].count % 2 == 0
            else { return nil }
            let hex = Array(fields[1].utf8)
            var password: [UInt8] = []
            for index in stride(from: 0, to: hex.count, by: 2) {
                guard let byte = UInt8(String(decoding: hex[index..<index + 2], as: UTF8.self), radix: 16) else {
                    return nil
                }
                password.append(byte)
            }
            return SessionCredentials(
                sessionId: Int64(bitPattern: id),
                password: password,
                negotiatedTimeout: .milliseconds(timeout)
            )
        }
    }

    private static func hex(_ value: UInt64, width: Int = 16) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    private func read() -> [SessionCredentials] {
        guard let data = FileManager.default.contents(atPath: self.path) else { return [] }
        return Self.decode(String(decoding: data, as: UTF8.self))
    }

    /// Writes the file atomically (a temporary file created 0600, synced, renamed over it).
    private func store(_ sessions: [SessionCredentials]) throws(CoordinationError) {
        let temporary = self.path + ".tmp"
        let bytes = Array(Self.encode(sessions).utf8)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw self.failure("cannot create \(temporary)") }
        var written = 0
        var failed = fchmod(fd, 0o600) != 0
        while !failed, written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { failed = true } else { written += count }
        }
        if !failed { failed = fsync(fd) != 0 }
        close(fd)
        guard !failed, rename(temporary, self.path) == 0 else {
            let error = self.failure("cannot write \(self.path)")
            unlink(temporary)
            throw error
        }
    }

    private func failure(_ what: String) -> CoordinationError {
        CoordinationError(.recordFailed, "\(what): \(String(cString: strerror(errno)))")
    }
}
