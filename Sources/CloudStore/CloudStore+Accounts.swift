import CloudModel
import SQLiteKit

extension CloudStore {
    /// Finds a user by login name in a domain (a login name is unique per domain).
    /// - Parameters:
    ///   - username: the login name.
    ///   - domainId: the domain's UUID.
    /// - Returns: the user, or nil.
    /// - Throws: ``StoreError``.
    public func user(named username: String, domainId: String) async throws(StoreError) -> User? {
        try await self.guarded("read user") {
            try await self.sql.raw(
                "SELECT * FROM \"user\" WHERE username = \(bind: username) AND domain_id = \(bind: domainId)"
            ).first(decoding: User.self, keyDecodingStrategy: SnakeCaseKeys.strategy)
        }
    }

    /// Finds a user by API key.
    /// - Parameter apiKey: the key.
    /// - Returns: the user, or nil.
    /// - Throws: ``StoreError``.
    public func user(apiKey: String) async throws(StoreError) -> User? {
        try await self.guarded("read user") {
            try await self.sql.raw("SELECT * FROM \"user\" WHERE api_key = \(bind: apiKey)")
                .first(decoding: User.self, keyDecodingStrategy: SnakeCaseKeys.strategy)
        }
    }

    /// Replaces a user's API and secret keys.
    /// - Parameters:
    ///   - userId: the user.
    ///   - apiKey: the new API key.
    ///   - secretKey: the new secret key, as it is to be stored (sealed).
    /// - Throws: ``StoreError``.
    public func setKeys(userId: String, apiKey: String, secretKey: String) async throws(StoreError) {
        try await self.guarded("update keys") {
            try await self.sql.raw(
                "UPDATE \"user\" SET api_key = \(bind: apiKey), secret_key = \(bind: secretKey) WHERE id = \(bind: userId)"
            ).run()
        }
    }

    /// The root domain's id, or nil before seeding.
    /// - Returns: the id.
    /// - Throws: ``StoreError``.
    public func rootDomainId() async throws(StoreError) -> String? {
        try await self.guarded("read domain") {
            try await self.sql.raw("SELECT id FROM domain WHERE path = '/'").first(
                decodingColumn: "id",
                as: String.self
            )
        }
    }

    /// Creates a domain row.
    /// - Parameters:
    ///   - id: UUID.
    ///   - name: name.
    ///   - path: path such as `/`.
    /// - Throws: ``StoreError``.
    public func insertDomain(id: String, name: String, path: String) async throws(StoreError) {
        try await self.guarded("insert domain") {
            try await self.sql.raw(
                "INSERT INTO domain (id, name, path) VALUES (\(bind: id), \(bind: name), \(bind: path))"
            ).run()
        }
    }
}

extension CloudStore {
    /// Whether a domain exists.
    /// - Parameter id: the domain's UUID.
    /// - Returns: true when it exists.
    /// - Throws: ``StoreError``.
    public func domainExists(id: String) async throws(StoreError) -> Bool {
        try await self.guarded("read domain") {
            try await self.sql.raw("SELECT id FROM domain WHERE id = \(bind: id)")
                .first(decodingColumn: "id", as: String.self) != nil
        }
    }
}
