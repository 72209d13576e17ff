import CloudModel
import SQLKit

/// What a failed login did to its user's count (CloudStack's `user.login_attempts`).
public struct FailedLoginCount: Sendable, Hashable {
    /// Consecutive failed logins, this one included.
    public var attempts: Int
    /// Whether this failure disabled the user.
    public var disabled: Bool
}

extension CloudStore {
    /// Counts a failed login of an enabled user and disables the user when the count reaches `allowed`, in one
    /// statement (servers sharing the database count together).
    /// - Parameters:
    ///   - userId: the user.
    ///   - allowed: `incorrect.login.attempts.allowed`.
    /// - Returns: the new count, or nil when the user is missing or not enabled (nothing is counted then).
    /// - Throws: ``StoreError``.
    public func recordFailedLogin(userId: String, allowed: Int) async throws(StoreError) -> FailedLoginCount? {
        try await self.guarded("count failed login") {
            guard
                let row = try await self.sql.raw(
                    """
                    UPDATE "user" SET login_attempts = login_attempts + 1, \
                    state = CASE WHEN login_attempts + 1 >= \(bind: allowed) THEN 'disabled' ELSE state END \
                    WHERE id = \(bind: userId) AND state = 'enabled' RETURNING login_attempts, state
                    """
                ).first()
            else { return nil }
            return FailedLoginCount(
                attempts: try row.decode(column: "login_attempts", as: Int.self),
                disabled: try row.decode(column: "state", as: String.self) == "disabled"
            )
        }
    }

    /// Resets a user's failed-login count (a successful login, `enableUser`).
    /// - Parameter userId: the user.
    /// - Throws: ``StoreError``.
    public func resetLoginAttempts(userId: String) async throws(StoreError) {
        try await self.guarded("reset failed logins") {
            try await self.sql.raw(
                "UPDATE \"user\" SET login_attempts = 0 WHERE id = \(bind: userId) AND login_attempts <> 0"
            ).run()
        }
    }

    /// A user's failed-login count.
    /// - Parameter userId: the user.
    /// - Returns: the count, or nil when the user is missing.
    /// - Throws: ``StoreError``.
    public func loginAttempts(userId: String) async throws(StoreError) -> Int? {
        try await self.guarded("read failed logins") {
            try await self.sql.raw("SELECT login_attempts FROM \"user\" WHERE id = \(bind: userId)")
                .first(decodingColumn: "login_attempts", as: Int.self)
        }
    }

    /// Every stored secret key, by user (the start-up pass that seals clear-text ones and checks the key).
    /// - Returns: `(userId, stored secret key)` pairs.
    /// - Throws: ``StoreError``.
    public func storedSecretKeys() async throws(StoreError) -> [(userId: String, secretKey: String)] {
        try await self.guarded("read secret keys") {
            try await self.sql.raw("SELECT id, secret_key FROM \"user\" WHERE secret_key IS NOT NULL").all().map {
                (try $0.decode(column: "id", as: String.self), try $0.decode(column: "secret_key", as: String.self))
            }
        }
    }

    /// Replaces a stored secret key if it is still `old` (servers starting together may both seal it).
    /// - Parameters:
    ///   - userId: the user.
    ///   - old: the value read.
    ///   - new: the value to store.
    /// - Throws: ``StoreError``.
    public func replaceSecretKey(userId: String, old: String, new: String) async throws(StoreError) {
        try await self.guarded("update secret key") {
            try await self.sql.raw(
                """
                UPDATE "user" SET secret_key = \(bind: new) WHERE id = \(bind: userId) AND secret_key = \(bind: old)
                """
            ).run()
        }
    }
}
