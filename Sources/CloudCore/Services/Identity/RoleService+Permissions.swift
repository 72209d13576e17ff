import CloudModel
import CloudStore
import Foundation

/// A role's ordered rules (CloudStack's `RoleManagerImpl` and `RolePermissionsDaoImpl`), and the check every
/// request of an account with its own role passes (`DynamicRoleBasedAPIAccessChecker`).
extension RoleService {
    /// One rule of an imported role (importRole's `rules[N].rule`, `.permission`, `.description`).
    public struct ImportedRule: Sendable {
        /// The API name or wildcard pattern.
        public var rule: String?
        /// `allow` or `deny`.
        public var permission: String?
        /// Description.
        public var description: String?

        /// Creates a rule.
        public init(rule: String?, permission: String?, description: String?) {
            self.rule = rule
            self.permission = permission
            self.description = description
        }
    }

    /// A role's rules in their order.
    /// - Throws: ``StoreError``.
    public func rules(of roleId: String) async throws -> [RolePermission] {
        try await self.store.list(RolePermission.self, ListQuery(equals: [("role_id", roleId)])).items
            .sorted { $0.sortOrder < $1.sortOrder }
    }

    /// Whether the caller may call `command`: a default role by its type (`allowedByType`: the command's
    /// `authorized` role types); a role of its own by its first rule that matches the command, else by its type.
    /// - Throws: ``StoreError``.
    public func mayCall(_ caller: Caller, command: String, allowedByType: Bool) async throws -> Bool {
        guard let rules = try await self.rules(of: caller) else { return allowedByType }
        return RolePermission.verdict(of: rules, for: command) ?? allowedByType
    }

    /// The rules of the caller's own role; nil for a default role (whose command role types alone decide).
    /// - Throws: ``StoreError``.
    public func rules(of caller: Caller) async throws -> [RolePermission]? {
        guard let roleId = caller.account.roleId, Role(roleId: roleId) == nil else { return nil }
        return try await self.rules(of: roleId)
    }

    /// CloudStack's 432 for a command the caller's role does not allow (`UnavailableCommandException`).
    public static func unavailable(_ command: String, account: String) -> CloudError {
        CloudError(
            .unsupportedAction,
            csErrorCode: 9999,
            "The API [\(command)] does not exist or is not available for the account \(account)."
        )
    }

    /// The rules of a role, or of every role the caller sees, with their roles (listRolePermissions).
    /// - Throws: 431 for an unknown role.
    public func permissions(
        _ access: Access,
        roleId: String?
    ) async throws -> [(permission: RolePermission, role: RoleDefinition)] {
        let roles: [RoleDefinition] =
            if let roleId {
                [try await self.role(access, id: roleId, parameter: "roleid")]
            } else {
                try await self.list(access, ListRequest(), id: nil, name: nil, type: nil).items
            }
        var result: [(RolePermission, RoleDefinition)] = []
        for role in roles { result += try await self.rules(of: role.id).map { ($0, role) } }
        return result
    }

    /// Adds a rule at the end of a role's rules (createRolePermission).
    /// - Throws: 431 for an unknown role, an invalid rule or permission; 531 for a default role or a rule the role
    ///   already has.
    public func addPermission(
        _ access: Access,
        roleId: String,
        rule: String,
        permission: String,
        description: String?
    ) async throws -> (permission: RolePermission, role: RoleDefinition) {
        let role = try await self.role(access, id: roleId, parameter: "roleid")
        guard !role.isDefault else {
            throw Access.permissionDenied("Role permission cannot be added for Default roles")
        }
        let rules = try await self.rules(of: role.id)
        let added = RolePermission(
            id: UUID().uuidString.lowercased(),
            roleId: role.id,
            rule: try Self.validRule(rule),
            permission: try Self.validPermission(permission),
            description: description ?? "",
            sortOrder: (rules.map(\.sortOrder).max() ?? -1) + 1
        )
        guard !rules.contains(where: { $0.rule == added.rule }) else {
            throw Access.permissionDenied("Rule already exists for the role: \(role.name)")
        }
        try await self.store.insert(added)
        return (added, role)
    }

    /// Reorders a role's rules (`ruleorder`: every rule's UUID, in the new order), or changes one rule's permission
    /// (`ruleid` and `permission`) (updateRolePermission).
    /// - Throws: 431 for bad or mixed parameters, an unknown role or rule; 531 for a default role.
    public func updatePermissions(
        _ access: Access,
        roleId: String,
        order: [String]?,
        ruleId: String?,
        permission: String?
    ) async throws {
        let role = try await self.role(access, id: roleId, parameter: "roleid")
        guard !role.isDefault else {
            throw Access.permissionDenied("Role permission cannot be updated for Default roles")
        }
        let rules = try await self.rules(of: role.id)
        switch (order, ruleId, permission) {
        case (.some(let order), nil, nil):
            let ids = order.map { $0.lowercased() }
            guard ids.count == rules.count, Set(ids) == Set(rules.map(\.id)) else {
                throw CloudError(
                    .paramError,
                    csErrorCode: 4350,
                    "Provided rule order must list every rule of the role \(role.name) exactly once"
                )
            }
            for (index, id) in ids.enumerated() {
                guard var rule = rules.first(where: { $0.id == id }), rule.sortOrder != index else { continue }
                rule.sortOrder = index
                try await self.store.replace(rule, id: rule.id)
            }
        case (nil, .some(let ruleId), .some(let permission)):
            guard var rule = rules.first(where: { $0.id == ruleId.lowercased() }) else {
                throw access.unknown("ruleid", ruleId)
            }
            rule.permission = try Self.validPermission(permission)
            try await self.store.replace(rule, id: rule.id)
        case (.some, _, _):
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Parameters permission and ruleid must be mutually exclusive with ruleorder"
            )
        case (nil, _, _):
            throw CloudError(.paramError, csErrorCode: 4350, "Both ruleid and permission must be provided")
        }
    }

    /// Deletes a rule (deleteRolePermission).
    /// - Throws: 431 for an unknown rule; 531 for a rule of a default role.
    public func deletePermission(_ access: Access, id: String) async throws {
        guard let rule = try await self.store.get(RolePermission.self, id: id.lowercased()) else {
            throw access.unknown("id", id)
        }
        let role = try await self.role(access, id: rule.roleId)
        guard !role.isDefault else {
            throw Access.permissionDenied("Role permission cannot be deleted for Default roles")
        }
        try await self.store.delete(RolePermission.self, id: rule.id)
    }

    /// Creates a role with its rules, or with `forced` replaces the role of that name (importRole).
    /// - Throws: 431 for a bad type or rule; 530 for a name taken without `forced`, or a default role's name.
    public func importRole(
        _ access: Access,
        name: String,
        type: String?,
        description: String?,
        rules: [ImportedRule],
        forced: Bool,
        isPublic: Bool?
    ) async throws -> RoleDefinition {
        guard let type else { throw CloudError(.paramError, csErrorCode: 4350, "Invalid role type provided") }
        let roleType = try self.roleType(access, type)
        let checked = try rules.map { imported throws(CloudError) in
            guard let rule = imported.rule, !rule.isEmpty else {
                throw CloudError(.paramError, csErrorCode: 4350, "Invalid rule provided")
            }
            guard let permission = imported.permission else {
                throw CloudError(.paramError, csErrorCode: 4350, "Invalid permission for the rule: \(rule)")
            }
            return (try Self.validRule(rule), try Self.validPermission(permission), imported.description ?? "")
        }
        let existing = try await self.list(access, ListRequest(), id: nil, name: name, type: nil).items.first
        var role: RoleDefinition
        if var existing {
            guard forced else { throw CloudError(.internalError, csErrorCode: 4250, "Role already exists") }
            guard !existing.isDefault else {
                throw CloudError(
                    .internalError,
                    csErrorCode: 4250,
                    "Failed to import the role: \(name), default role cannot be overriden"
                )
            }
            for rule in try await self.rules(of: existing.id) {
                try await self.store.delete(RolePermission.self, id: rule.id)
            }
            existing.roleType = roleType
            if let description { existing.description = description }
            if let isPublic { existing.isPublic = isPublic }
            try await self.replace(existing)
            role = existing
        } else {
            role = try await self.create(
                access,
                name: name,
                type: type,
                cloneOf: nil,
                description: description,
                isPublic: isPublic
            )
        }
        for (index, (rule, permission, ruleDescription)) in checked.enumerated() {
            try await self.store.insert(
                RolePermission(
                    id: UUID().uuidString.lowercased(),
                    roleId: role.id,
                    rule: rule,
                    permission: permission,
                    description: ruleDescription,
                    sortOrder: index
                )
            )
        }
        role = try await self.role(access, id: role.id)
        return role
    }

    /// A rule CloudStack accepts (`Rule.validate`).
    static func validRule(_ rule: String) throws(CloudError) -> String {
        guard RolePermission.isValidRule(rule) else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Only API names and wildcards are allowed, invalid rule provided: \(rule)"
            )
        }
        return rule
    }

    /// `allow` or `deny`, in any case (`RoleManagerImpl.getRolePermission`).
    static func validPermission(_ permission: String) throws(CloudError) -> String {
        let lowered = permission.lowercased()
        guard lowered == "allow" || lowered == "deny" else {
            throw CloudError(.paramError, csErrorCode: 4350, "Values for permission parameter should be: allow or deny")
        }
        return lowered
    }
}
