import CloudModel
import SQLiteKit

extension CloudStore {
    /// Shares a template with accounts (CloudStack's `launch_permission`).
    /// - Parameters:
    ///   - templateId: the template.
    ///   - accountIds: the accounts.
    /// - Throws: ``StoreError``.
    public func grantLaunch(templateId: String, to accountIds: [String]) async throws(StoreError) {
        for accountId in accountIds {
            try await self.guarded("grant launch permission") {
                try await self.sql.raw(
                    """
                    INSERT INTO template_permission (template_id, account_id) VALUES \
                    (\(bind: templateId), \(bind: accountId)) ON CONFLICT DO NOTHING
                    """
                ).run()
            }
        }
    }

    /// Stops sharing a template with accounts; nil removes every share.
    /// - Parameters:
    ///   - templateId: the template.
    ///   - accountIds: the accounts, or nil for all.
    /// - Throws: ``StoreError``.
    public func revokeLaunch(templateId: String, from accountIds: [String]?) async throws(StoreError) {
        guard let accountIds else {
            try await self.guarded("reset launch permissions") {
                try await self.sql.raw("DELETE FROM template_permission WHERE template_id = \(bind: templateId)").run()
            }
            return
        }
        for accountId in accountIds {
            try await self.guarded("revoke launch permission") {
                try await self.sql.raw(
                    """
                    DELETE FROM template_permission WHERE template_id = \(bind: templateId) \
                    AND account_id = \(bind: accountId)
                    """
                ).run()
            }
        }
    }

    /// The templates shared with an account.
    /// - Parameter accountId: the account.
    /// - Returns: template ids.
    /// - Throws: ``StoreError``.
    public func templatesShared(with accountId: String) async throws(StoreError) -> Set<String> {
        try await self.guarded("read launch permissions") {
            Set(
                try await self.sql.raw(
                    "SELECT template_id FROM template_permission WHERE account_id = \(bind: accountId)"
                ).all(decodingColumn: "template_id", as: String.self)
            )
        }
    }

    /// Deletes a template with its shares and tags.
    /// - Parameter id: the template.
    /// - Throws: ``StoreError``.
    public func deleteTemplate(id: String) async throws(StoreError) {
        try await self.guarded("delete template") {
            try await self.sql.raw("DELETE FROM template_permission WHERE template_id = \(bind: id)").run()
            try await self.sql.raw(
                "DELETE FROM resource_tag WHERE resource_id = \(bind: id) AND resource_type = 'Template'"
            ).run()
            try await self.sql.raw("DELETE FROM template WHERE id = \(bind: id)").run()
        }
    }
}
