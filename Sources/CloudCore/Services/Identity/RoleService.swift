import CloudModel
import CloudStore

/// The three fixed roles, with CloudStack's default role names and types.
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

    /// The role with this UUID.
    public init?(roleId: String) {
        guard let role = Role.allCases.first(where: { $0.roleId == roleId.lowercased() }) else { return nil }
        self = role
    }
}

/// The roles (listRoles): callers see the roles they could hand out, their own and the ones below it.
public struct RoleService: Sendable {
    let services: CloudServices

    /// The roles the caller sees, filtered and paged.
    /// - Parameters:
    ///   - access: the caller's access.
    ///   - request: paging and `keyword` (a substring of the role's name); its `id` and `name` are not used.
    ///   - id: a role's UUID.
    ///   - name: a role's name (case-insensitive).
    ///   - type: a role's type (`Admin`, `DomainAdmin`, `User`; case-insensitive).
    /// - Throws: 431 for bad paging.
    public func list(
        _ access: Access,
        _ request: ListRequest,
        id: String?,
        name: String?,
        type: String?
    ) throws(CloudError) -> ListPage<Role> {
        let visible: [Role] =
            switch access.caller.role {
            case .rootAdmin: [.rootAdmin, .domainAdmin, .user]
            case .domainAdmin: [.domainAdmin, .user]
            case .user: [.user]
            }
        var roles = visible
        if let id { roles = roles.filter { $0.roleId == id.lowercased() } }
        if let name { roles = roles.filter { $0.roleName.lowercased() == name.lowercased() } }
        if let type { roles = roles.filter { $0.typeName.lowercased() == type.lowercased() } }
        if let keyword = request.keyword?.lowercased() {
            roles = roles.filter { $0.roleName.lowercased().contains(keyword) }
        }
        return try access.pageInMemory(roles, request)
    }
}

extension CloudServices {
    /// The roles.
    public var roles: RoleService { RoleService(services: self) }
}
