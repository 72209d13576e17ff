import CloudStore
import Crypto
import Foundation

/// Login sessions, kept in the database so that a session opened on one management server works on every server
/// sharing it, and `logout` (or a wrong key) ends it everywhere.
///
/// A session is two secrets, as a CloudStack servlet session is: its id, carried by the `JSESSIONID` cookie, names
/// it; its key (`sessionkey`, answered by `login` and also set as a cookie) proves the request was made by the
/// client that logged in, not by a page that merely rides on the browser's cookie. The database holds SHA-256
/// hashes of both, never the secrets. A session unused for ``timeout`` seconds (CloudStack's 30-minute servlet
/// session timeout, the `timeout` of `loginresponse`) is over.
public final class LoginSessions: Sendable {
    /// A newly opened session's secrets (only `open` ever sees them).
    public struct Session: Sendable, Hashable {
        /// The id (`JSESSIONID`).
        public var id: String
        /// The key (`sessionkey`).
        public var key: String
        /// The user.
        public var userId: String
    }

    /// What a request's session cookie and key amount to.
    public enum Check: Sendable, Hashable {
        /// The request proves the session of this user.
        case valid(userId: String)
        /// The session exists but the request does not prove it (the session is ended).
        case refused
    }

    /// Seconds of idleness after which a session is over.
    public let timeout: Double
    private let store: CloudStore
    private let clock: @Sendable () -> Double

    /// Sessions over `store`.
    /// - Parameters:
    ///   - store: the database every management server shares.
    ///   - timeout: seconds of idleness that end a session (1800, CloudStack's default).
    ///   - clock: seconds since 1970 (tests pass their own).
    public init(
        store: CloudStore,
        timeout: Double = 1800,
        clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) {
        self.store = store
        self.timeout = timeout
        self.clock = clock
    }

    /// Opens a session for `userId` (and forgets sessions that timed out).
    /// - Parameter userId: the user.
    /// - Returns: the session, with an id and a key of 20 random bytes each (URL-safe base64).
    /// - Throws: ``StoreError``.
    public func open(userId: String) async throws -> Session {
        let session = Session(
            id: PasswordHasher.randomToken(bytes: 20),
            key: PasswordHasher.randomToken(bytes: 20),
            userId: userId
        )
        let now = self.clock()
        try await self.store.deleteLoginSessions(lastUsedBefore: now - self.timeout)
        try await self.store.insertLoginSession(
            LoginSessionRecord(
                idHash: Self.hash(session.id),
                keyHash: Self.hash(session.key),
                userId: userId,
                lastUsed: now
            )
        )
        return session
    }

    /// CloudStack's `HttpUtils.validateSessionKey` with its default check (`CookieOrParameter`): at least one of the
    /// `sessionkey` parameter and cookie must be present, and each present one must equal the session's key.
    /// - Parameters:
    ///   - sessionId: the `JSESSIONID` cookie.
    ///   - keyParameter: the `sessionkey` parameter.
    ///   - keyCookie: the `sessionkey` cookie.
    /// - Returns: nil when no live session has this id (the request is then judged by its signature); else
    ///   whether the request proves it. A request that names a live session without proving it ends that session.
    /// - Throws: ``StoreError``.
    public func check(sessionId: String, keyParameter: String?, keyCookie: String?) async throws -> Check? {
        let idHash = Self.hash(sessionId)
        guard let record = try await self.store.loginSession(idHash: idHash) else { return nil }
        let now = self.clock()
        guard now - record.lastUsed <= self.timeout else {
            try await self.store.deleteLoginSession(idHash: idHash)
            return nil
        }
        let given = [keyParameter, keyCookie].compactMap { $0 }
        guard !given.isEmpty, given.allSatisfy({ Self.equal(Self.hash($0), record.keyHash) }) else {
            try await self.store.deleteLoginSession(idHash: idHash)
            return .refused
        }
        // One write a minute per session at most, not one per request.
        if now - record.lastUsed >= 60 { try await self.store.touchLoginSession(idHash: idHash, at: now) }
        return .valid(userId: record.userId)
    }

    /// Ends a session (`logout`).
    /// - Parameter id: the session's id.
    /// - Throws: ``StoreError``.
    public func close(id: String) async throws {
        try await self.store.deleteLoginSession(idHash: Self.hash(id))
    }

    /// Ends every session of a user (it was disabled).
    /// - Parameter userId: the user.
    /// - Throws: ``StoreError``.
    public func closeAll(userId: String) async throws {
        try await self.store.deleteLoginSessions(userId: userId)
    }

    /// SHA-256 of a secret, in hex.
    static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// Compares two strings in time independent of where they differ.
    static func equal(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        guard left.count == right.count else { return false }
        return zip(left, right).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
