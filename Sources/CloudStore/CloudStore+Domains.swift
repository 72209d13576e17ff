import CloudModel
import SQLiteKit

extension CloudStore {
    /// Finds a domain by path (`/`, `/child/`).
    /// - Parameter path: the path.
    /// - Returns: the domain, or nil.
    /// - Throws: ``StoreError``.
    public func domain(path: String) async throws(StoreError) -> Domain? {
        try await self.guarded("read domain") {
            try await self.sql.raw("SELECT * FROM domain WHERE path = \(bind: path)")
                .first(decoding: Domain.self, keyDecodingStrategy: SnakeCaseKeys.strategy)
        }
    }

    /// Renames a domain, rewriting its path and every descendant's.
    /// - Parameters:
    ///   - domain: the domain as it is.
    ///   - name: the new name.
    /// - Returns: the renamed domain.
    /// - Throws: ``StoreError`` (``StoreError/Kind/duplicate`` when a sibling has the name).
    public func renameDomain(_ domain: Domain, to name: String) async throws(StoreError) -> Domain {
        let parentPath = String(domain.path.dropLast(domain.name.count + 1))
        var renamed = domain
        renamed.name = name
        renamed.path = parentPath + name + "/"
        let old = domain.path
        let new = renamed.path
        // One statement, so the subtree never shows a half-renamed path.
        try await self.guarded("rename domain") {
            try await self.sql.raw(
                """
                UPDATE domain SET path = \(bind: new) || substr(path, \(bind: old.unicodeScalars.count + 1)), \
                name = CASE WHEN id = \(bind: domain.id) THEN \(bind: name) ELSE name END \
                WHERE substr(path, 1, \(bind: old.unicodeScalars.count)) = \(bind: old)
                """
            ).run()
        }
        return renamed
    }

    /// Deletes a domain row (its accounts and children must be gone).
    /// - Parameter id: the domain.
    /// - Throws: ``StoreError``.
    public func deleteDomain(id: String) async throws(StoreError) {
        try await self.guarded("delete domain") {
            try await self.sql.raw("DELETE FROM domain WHERE id = \(bind: id)").run()
        }
    }

    /// Deletes an account with its users (its VMs must already be expunged).
    /// - Parameter id: the account.
    /// - Throws: ``StoreError``.
    public func deleteAccount(id: String) async throws(StoreError) {
        try await self.guarded("delete account") {
            try await self.sql.raw("DELETE FROM \"user\" WHERE account_id = \(bind: id)").run()
            try await self.sql.raw("DELETE FROM account WHERE id = \(bind: id)").run()
        }
    }

    /// Deletes a user.
    /// - Parameter id: the user.
    /// - Throws: ``StoreError``.
    public func deleteUser(id: String) async throws(StoreError) {
        try await self.guarded("delete user") {
            try await self.sql.raw("DELETE FROM \"user\" WHERE id = \(bind: id)").run()
        }
    }
}
