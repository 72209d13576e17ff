import CloudModel
import CloudStore
import Foundation

/// The default roles' fixed UUIDs, names and descriptions (the rows migration 22 seeds).
extension Role {
    /// A stable UUID per role (CloudStack's default roles are rows 1, 3 and 4 of `roles`).
    public var roleId: String {
        switch self {
        case .rootAdmin: "c5f2a1c0-0001-4c53-9f00-000000000001"
        case .domainAdmin: "c5f2a1c0-0003-4c53-9f00-000000000003"
        case .user: "c5f2a1c0-0004-4c53-9f00-000000000004"
        }
    }

    /// CloudStack's default role name.
    public var roleName: String {
        switch self {
        case .rootAdmin: "Root Admin"
        case .domainAdmin: "Domain Admin"
        case .user: "User"
        }
    }

    /// CloudStack's description of the default role.
    public var roleDescription: String {
        switch self {
        case .rootAdmin: "Default root admin role"
        case .domainAdmin: "Default domain admin role"
        case .user: "Default user role"
        }
    }

    /// The default role with this UUID.
    public init?(roleId: String) {
        guard let role = Role.allCases.first(where: { $0.roleId == roleId.lowercased() }) else { return nil }
        self = role
    }

    /// The role type named as CloudStack names it (`Admin`, `DomainAdmin`, `User`; any case).
    public init?(typeName: String) {
        guard let role = Role.allCases.first(where: { $0.typeName.lowercased() == typeName.lowercased() }) else {
            return nil
        }
        self = role
    }
}

/// Dynamic roles (CloudStack's `RoleManagerImpl`): list, create (or clone), update, enable, disable, import and
/// delete roles; their ordered rules are in `RoleService+Permissions.swift`, and ``mayCall(_:command:allowedByType:)``
/// applies them to every request (CloudStack's `DynamicRoleBasedAPIAccessChecker`). Default roles cannot be changed.
public struct RoleService: Sendable {
    let services: CloudServices
    var store: CloudStore { self.services.store }

    /// The roles the caller sees, filtered and paged: a root admin all of them, a domain admin the public roles of
    /// its type and below, a user the public user roles.
    /// - Parameters:
    ///   - access: the caller's access.
    ///   - request: paging and `keyword` (a substring of the role's name).
    ///   - id: a role's UUID.
    ///   - name: a role's name (case-insensitive).
    ///   - type: a role's type (`Admin`, `DomainAdmin`, `User`; case-insensitive).
    ///   - state: `enabled` or `disabled` (case-insensitive).
    /// - Throws: 431 for bad paging.
    public func list(
        _ access: Access,
        _ request: ListRequest,
        id: String?,
        name: String?,
        type: String?,
        state: String? = nil
    ) async throws -> ListPage<RoleDefinition> {
        let visible: Set<Role> =
            switch access.caller.role {
            case .rootAdmin: [.rootAdmin, .domainAdmin, .user]
            case .domainAdmin: [.domainAdmin, .user]
            case .user: [.user]
            }
        var roles = try await self.store.list(RoleDefinition.self).items.filter {
            visible.contains($0.roleType) && ($0.isPublic || access.caller.role == .rootAdmin)
        }
        if let id { roles = roles.filter { $0.id == id.lowercased() } }
        if let name { roles = roles.filter { $0.name.lowercased() == name.lowercased() } }
        if let type { roles = roles.filter { $0.roleType.typeName.lowercased() == type.lowercased() } }
        if let state { roles = roles.filter { $0.state.lowercased() == state.lowercased() } }
        if let keyword = request.keyword?.lowercased() {
            roles = roles.filter { $0.name.lowercased().contains(keyword) }
        }
        return try access.pageInMemory(roles, request)
    }

    /// The role of this UUID, named by `parameter`.
    /// - Throws: 431 when no role has it.
    public func role(_ access: Access, id: String, parameter: String = "id") async throws -> RoleDefinition {
        guard let role = try await self.store.get(RoleDefinition.self, id: id.lowercased()) else {
            throw access.unknown(parameter, id)
        }
        return role
    }

    /// The names of the roles of these UUIDs (accounts render their role's name).
    /// - Throws: ``StoreError``.
    public func names(of ids: [String]) async throws -> [String: String] {
        let wanted = Array(Set(ids))
        guard !wanted.isEmpty else { return [:] }
        let roles = try await self.store.list(RoleDefinition.self, ListQuery(idIn: wanted)).items
        return Dictionary(roles.map { ($0.id, $0.name) }) { first, _ in first }
    }

    /// The role type given as `type`.
    /// - Throws: 431 naming `type`.
    func roleType(_ access: Access, _ type: String) throws(CloudError) -> Role {
        guard let role = Role(typeName: type) else { throw access.unknown("type", type) }
        return role
    }

    /// Creates a role of a type, or a copy of another role with its rules (createRole).
    /// - Parameters:
    ///   - access: the caller's access.
    ///   - name: the new role's name.
    ///   - type: its type, unless it is cloned.
    ///   - cloneOf: the UUID of the role to copy (`roleid`).
    ///   - description: its description.
    ///   - isPublic: whether every admin sees it (default true).
    /// - Returns: the role.
    /// - Throws: 431 when both or neither of `type` and `roleid` are given, for an unknown role or a name taken.
    public func create(
        _ access: Access,
        name: String,
        type: String?,
        cloneOf: String?,
        description: String?,
        isPublic: Bool?
    ) async throws -> RoleDefinition {
        let source: RoleDefinition?
        let roleType: Role
        switch (type, cloneOf) {
        case (.some, .some):
            throw CloudError(.paramError, csErrorCode: 4350, "Both role type and role ID should not be specified")
        case (nil, nil):
            throw CloudError(.paramError, csErrorCode: 4350, "Neither role type nor role ID is provided")
        case (.some(let type), nil):
            source = nil
            roleType = try self.roleType(access, type)
        case (nil, .some(let id)):
            let found = try await self.role(access, id: id, parameter: "roleid")
            source = found
            roleType = found.roleType
        }
        let role = RoleDefinition(
            id: UUID().uuidString.lowercased(),
            name: name,
            roleType: roleType,
            description: description ?? "",
            isPublic: isPublic ?? true,
            created: self.services.clock.now
        )
        try await self.services.insert(role, duplicate: "Role with name \(name) already exists")
        if let source {
            for rule in try await self.rules(of: source.id) {
                var copy = rule
                copy.id = UUID().uuidString.lowercased()
                copy.roleId = role.id
                try await self.store.insert(copy)
            }
        }
        return role
    }

    /// Changes a role's name, type, description or visibility (updateRole).
    /// - Throws: 431 for an unknown role or a name taken; 531 for a default role, or a type change of a role in use.
    public func update(
        _ access: Access,
        id: String,
        name: String?,
        type: String?,
        description: String?,
        isPublic: Bool?
    ) async throws -> RoleDefinition {
        var role = try await self.role(access, id: id)
        guard !role.isDefault else { throw Access.permissionDenied("Default roles cannot be updated") }
        if let name, !name.isEmpty { role.name = name }
        if let type {
            let roleType = try self.roleType(access, type)
            if roleType != role.roleType {
                guard try await self.accountCount(roleId: role.id) == 0 else {
                    throw Access.permissionDenied(
                        "Found accounts that have role in use, won't allow to change role type"
                    )
                }
                role.roleType = roleType
            }
        }
        if let description, !description.isEmpty { role.description = description }
        if let isPublic { role.isPublic = isPublic }
        try await self.replace(role)
        return role
    }

    /// Enables or disables a role (enableRole, disableRole); a disabled role is given to no new account.
    /// - Throws: 431 for an unknown role; 531 for a default role.
    public func setEnabled(_ access: Access, id: String, _ enabled: Bool) async throws {
        var role = try await self.role(access, id: id)
        guard !role.isDefault else {
            throw Access.permissionDenied("Default roles cannot be \(enabled ? "enabled" : "disabled")")
        }
        role.state = enabled ? "ENABLED" : "DISABLED"
        try await self.replace(role)
    }

    /// Deletes a role and its rules (deleteRole).
    /// - Throws: 431 for an unknown role; 531 for a default role or a role accounts have.
    public func delete(_ access: Access, id: String) async throws {
        let role = try await self.role(access, id: id)
        guard !role.isDefault else { throw Access.permissionDenied("Default roles cannot be deleted") }
        guard try await self.accountCount(roleId: role.id) == 0 else {
            throw Access.permissionDenied("Found accounts that have role in use, won't allow to delete role")
        }
        for rule in try await self.rules(of: role.id) { try await self.store.delete(RolePermission.self, id: rule.id) }
        try await self.store.delete(RoleDefinition.self, id: role.id)
    }

    /// Stores a changed role, a name another role has being CloudStack's 431.
    func replace(_ role: RoleDefinition) async throws {
        do {
            try await self.store.replace(role, id: role.id)
        } catch {
            guard error.kind == .duplicate else { throw error }
            throw CloudError(.paramError, csErrorCode: 4350, "Role with name \(role.name) already exists")
        }
    }

    /// How many accounts have this role as their own.
    func accountCount(roleId: String) async throws -> Int {
        try await self.store.list(Account.self, ListQuery(equals: [("role_id", roleId)])).total
    }

    /// The role an account is created with: a default role by its UUID, or an enabled role an admin created.
    /// - Returns: the role's type, and its UUID when it is not a default role.
    /// - Throws: 431 naming `roleid` for an unknown or disabled role.
    func accountRole(_ access: Access, roleId: String) async throws -> (type: Role, roleId: String?) {
        if let role = Role(roleId: roleId) { return (role, nil) }
        guard let role = try await self.store.get(RoleDefinition.self, id: roleId.lowercased()),
            role.state == "ENABLED"
        else { throw CloudError.invalidParameter(access.command, "roleid", roleId) }
        return (role.roleType, role.id)
    }
}

extension CloudServices {
    /// The roles.
    public var roles: RoleService { RoleService(services: self) }
}
