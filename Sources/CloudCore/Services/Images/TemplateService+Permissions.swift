import CloudModel
import CloudStore
import Foundation

/// Launch permissions (updateTemplatePermissions).
extension TemplateService {
    /// What updateTemplatePermissions changes (nil: unchanged).
    public struct PermissionsUpdate: Sendable {
        /// Whether the template is public.
        public var isPublic: Bool?
        /// Whether it is featured (admins only).
        public var isFeatured: Bool?
        /// Account names of the caller's domain the operation applies to.
        public var accounts: [String]?
        /// `add`, `remove` or `reset` (lower-cased).
        public var operation: String?

        /// Creates an update.
        public init(
            isPublic: Bool? = nil,
            isFeatured: Bool? = nil,
            accounts: [String]? = nil,
            operation: String? = nil
        ) {
            self.isPublic = isPublic
            self.isFeatured = isFeatured
            self.accounts = accounts
            self.operation = operation
        }
    }

    /// Changes who may launch the caller's template and whether it is public or featured.
    /// - Throws: 531 for `isfeatured` from a user; 431 for accounts without an operation, an unknown account or
    ///   operation; ``owned(_:id:parameter:)``'s errors.
    public func updatePermissions(_ access: Access, id: String, _ update: PermissionsUpdate) async throws {
        var template = try await self.owned(access, id: id)
        let store = self.store
        if update.isFeatured != nil && !access.caller.isAdmin {
            throw CloudError(
                .accountError,
                csErrorCode: 4365,
                "Parameter isfeatured can only be specified by admin"
            )
        }
        let op = update.operation
        if update.accounts != nil && op == nil {
            throw CloudError(.paramError, csErrorCode: 4350, "Operation must be specified when accounts are given")
        }
        var accountIds: [String] = []
        for name in update.accounts ?? [] where !name.isEmpty {
            let found = try await store.list(
                Account.self,
                ListQuery(equals: [("name", name), ("domain_id", access.caller.account.domainId)])
            ).items.first
            guard let found else {
                throw CloudError(.paramError, csErrorCode: 4350, "Unable to find account \(name) in domain")
            }
            accountIds.append(found.id)
        }
        switch op {
        case nil: break
        case "add": try await store.grantLaunch(templateId: template.id, to: accountIds)
        case "remove": try await store.revokeLaunch(templateId: template.id, from: accountIds)
        case "reset": try await store.revokeLaunch(templateId: template.id, from: nil)
        default: throw CloudError.invalidParameter(access.command, "op", op ?? "")
        }
        if let isPublic = update.isPublic { template.isPublic = isPublic }
        if let isFeatured = update.isFeatured { template.isFeatured = isFeatured }
        try await store.replace(template, id: template.id)
    }
}
