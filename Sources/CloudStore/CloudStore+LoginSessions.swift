import SQLKit

/// A stored login session: hashes of its id and key, never the secrets themselves.
public struct LoginSessionRecord: Sendable, Hashable {
    /// The hash of the session's id (its `JSESSIONID`).
    public var idHash: String
    /// The hash of the session's key (`sessionkey`).
    public var keyHash: String
    /// The user.
    public var userId: String
    /// When it was last used (seconds since 1970).
    public var lastUsed: Double

    /// A record.
    /// - Parameters:
    ///   - idHash: the hash of the id.
    ///   - keyHash: the hash of the key.
    ///   - userId: the user.
    ///   - lastUsed: when it was last used.
    public init(idHash: String, keyHash: String, userId: String, lastUsed: Double) {
        self.idHash = idHash
        self.keyHash = keyHash
        self.userId = userId
        self.lastUsed = lastUsed
    }
}

extension CloudStore {
    /// Records a new session.
    /// - Parameter session: the session, last used now.
    /// - Throws: ``StoreError``.
    public func insertLoginSession(_ session: LoginSessionRecord) async throws(StoreError) {
        try await self.guarded("open session") {
            try await self.sql.raw(
                """
                INSERT INTO login_session (id_hash, key_hash, user_id, created, last_used) VALUES \
                (\(bind: session.idHash), \(bind: session.keyHash), \(bind: session.userId), \
                \(bind: session.lastUsed), \(bind: session.lastUsed))
                """
            ).run()
        }
    }

    /// The session whose id hashes to `idHash`.
    /// - Parameter idHash: the hash of the id.
    /// - Returns: the session, or nil.
    /// - Throws: ``StoreError``.
    public func loginSession(idHash: String) async throws(StoreError) -> LoginSessionRecord? {
        try await self.guarded("read session") {
            guard
                let row = try await self.sql.raw(
                    "SELECT key_hash, user_id, last_used FROM login_session WHERE id_hash = \(bind: idHash)"
                ).first()
            else { return nil }
            return LoginSessionRecord(
                idHash: idHash,
                keyHash: try row.decode(column: "key_hash", as: String.self),
                userId: try row.decode(column: "user_id", as: String.self),
                lastUsed: try row.decode(column: "last_used", as: Double.self)
            )
        }
    }

    /// Marks a session used at `time`.
    /// - Parameters:
    ///   - idHash: the hash of the id.
    ///   - time: seconds since 1970.
    /// - Throws: ``StoreError``.
    public func touchLoginSession(idHash: String, at time: Double) async throws(StoreError) {
        try await self.guarded("touch session") {
            try await self.sql.raw(
                "UPDATE login_session SET last_used = \(bind: time) WHERE id_hash = \(bind: idHash)"
            ).run()
        }
    }

    /// Ends one session.
    /// - Parameter idHash: the hash of the id.
    /// - Throws: ``StoreError``.
    public func deleteLoginSession(idHash: String) async throws(StoreError) {
        try await self.guarded("close session") {
            try await self.sql.raw("DELETE FROM login_session WHERE id_hash = \(bind: idHash)").run()
        }
    }

    /// Ends every session of a user.
    /// - Parameter userId: the user.
    /// - Throws: ``StoreError``.
    public func deleteLoginSessions(userId: String) async throws(StoreError) {
        try await self.guarded("close sessions") {
            try await self.sql.raw("DELETE FROM login_session WHERE user_id = \(bind: userId)").run()
        }
    }

    /// Forgets sessions idle since before `time`.
    /// - Parameter time: seconds since 1970.
    /// - Throws: ``StoreError``.
    public func deleteLoginSessions(lastUsedBefore time: Double) async throws(StoreError) {
        try await self.guarded("expire sessions") {
            try await self.sql.raw("DELETE FROM login_session WHERE last_used < \(bind: time)").run()
        }
    }
}
