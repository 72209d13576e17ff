import CloudCore
import Synchronization

/// Login sessions in memory (a restart logs everyone out, as a CloudStack restart does).
///
/// A session is two secrets, as a CloudStack servlet session is: its id, carried by the `JSESSIONID` cookie, names
/// it; its key (`sessionkey`, answered by `login` and also set as a cookie) proves the request was made by the
/// client that logged in, not by a page that merely rides on the browser's cookie. A request is the session's only
/// when both match (``validate(sessionId:keyParameter:keyCookie:)``).
public final class SessionStore: Sendable {
    /// One open session.
    public struct Session: Sendable, Hashable {
        /// The id (`JSESSIONID`).
        public var id: String
        /// The key (`sessionkey`).
        public var key: String
        /// The user.
        public var userId: String
    }

    private let sessions = Mutex<[String: Session]>([:])

    /// Creates an empty store.
    public init() {}

    /// Opens a session for `userId`.
    /// - Parameter userId: the user.
    /// - Returns: the session, with an id and a key of 20 random bytes each (URL-safe base64).
    public func open(userId: String) -> Session {
        let session = Session(
            id: PasswordHasher.randomToken(bytes: 20),
            key: PasswordHasher.randomToken(bytes: 20),
            userId: userId
        )
        self.sessions.withLock { $0[session.id] = session }
        return session
    }

    /// The session a `JSESSIONID` names.
    /// - Parameter id: the cookie's value.
    /// - Returns: the session, or nil.
    public func session(id: String) -> Session? {
        self.sessions.withLock { $0[id] }
    }

    /// CloudStack's `HttpUtils.validateSessionKey` with its default check (`CookieOrParameter`): the session must
    /// exist, at least one of the `sessionkey` parameter and cookie must be present, and each present one must
    /// equal the session's key (compared in constant time).
    /// - Parameters:
    ///   - sessionId: the `JSESSIONID` cookie.
    ///   - keyParameter: the `sessionkey` parameter.
    ///   - keyCookie: the `sessionkey` cookie.
    /// - Returns: the session when the request proves it, nil otherwise.
    public func validate(sessionId: String?, keyParameter: String?, keyCookie: String?) -> Session? {
        guard let sessionId, let session = self.session(id: sessionId) else { return nil }
        guard keyParameter != nil || keyCookie != nil else { return nil }
        for given in [keyParameter, keyCookie].compactMap({ $0 }) where !Self.equal(given, session.key) {
            return nil
        }
        return session
    }

    /// Ends a session.
    /// - Parameter id: the session's id.
    public func close(id: String) {
        _ = self.sessions.withLock { $0.removeValue(forKey: id) }
    }

    /// Ends every session of a user (it was disabled or deleted).
    /// - Parameter userId: the user.
    public func closeAll(userId: String) {
        self.sessions.withLock { sessions in sessions = sessions.filter { $0.value.userId != userId } }
    }

    static func equal(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        guard left.count == right.count else { return false }
        return zip(left, right).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
