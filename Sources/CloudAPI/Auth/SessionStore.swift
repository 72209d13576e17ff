import Synchronization

/// Login sessions, keyed by session key, in memory (a restart logs everyone out, as a CloudStack restart does).
public final class SessionStore: Sendable {
    private let sessions = Mutex<[String: String]>([:])

    /// Creates an empty store.
    public init() {}

    /// Opens a session for `userId`.
    /// - Parameter userId: the user.
    /// - Returns: the session key (20 random bytes, URL-safe base64).
    public func open(userId: String) -> String {
        let key = PasswordHasher.randomToken(bytes: 20)
        self.sessions.withLock { $0[key] = userId }
        return key
    }

    /// The user of a session.
    /// - Parameter key: the session key.
    /// - Returns: the user id, or nil.
    public func user(for key: String) -> String? {
        self.sessions.withLock { $0[key] }
    }

    /// Ends a session.
    /// - Parameter key: the session key.
    public func close(_ key: String) {
        _ = self.sessions.withLock { $0.removeValue(forKey: key) }
    }
}
