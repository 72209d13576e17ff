import CloudModel
import SQLKit

extension CloudStore {
    /// A user and its account, read in one statement (every API request resolves its caller).
    /// - Parameter apiKey: the user's API key.
    /// - Returns: the user and account, or nil when no user has the key.
    /// - Throws: ``StoreError``.
    public func userAndAccount(apiKey: String) async throws(StoreError) -> (User, Account)? {
        try await self.userAndAccount(where: "\"user\".api_key", equals: apiKey)
    }

    /// A user and its account, read in one statement.
    /// - Parameter userId: the user's UUID.
    /// - Returns: the user and account, or nil when either is missing.
    /// - Throws: ``StoreError``.
    public func userAndAccount(userId: String) async throws(StoreError) -> (User, Account)? {
        try await self.userAndAccount(where: "\"user\".id", equals: userId)
    }

    private func userAndAccount(
        where column: String,
        equals value: String
    ) async throws(StoreError) -> (
        User, Account
    )? {
        try await self.guarded("read caller") {
            guard
                let row = try await self.sql.raw(
                    """
                    SELECT "user".*, account.name AS account_name, account.domain_id AS account_domain_id, \
                    account.role AS account_role, account.role_id AS account_role_id, account.state AS account_state, \
                    account.created AS account_created FROM "user" JOIN account ON account.id = "user".account_id \
                    WHERE \(unsafeRaw: column) = \(bind: value)
                    """
                ).first()
            else { return nil }
            let user = try row.decode(
                model: User.self,
                with: SQLRowDecoder(keyDecodingStrategy: SnakeCaseKeys.strategy)
            )
            let role = try row.decode(column: "account_role", as: Int.self)
            let account = Account(
                id: user.accountId,
                name: try row.decode(column: "account_name", as: String.self),
                domainId: try row.decode(column: "account_domain_id", as: String.self),
                role: Role(rawValue: role) ?? .user,
                state: try row.decode(column: "account_state", as: String.self),
                created: try row.decode(column: "account_created", as: Double.self),
                roleId: try row.decode(column: "account_role_id", as: String?.self)
            )
            return (user, account)
        }
    }
}
