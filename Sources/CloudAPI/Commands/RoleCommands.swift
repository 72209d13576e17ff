import CloudCore
import CloudModel
import CloudStore

/// The three fixed roles, with CloudStack's default role names and types, and listRoles.
extension Role {
    /// A stable UUID per role (CloudStack's default roles are rows 1, 3 and 4 of `roles`).
    var roleId: String {
        switch self {
        case .rootAdmin: "c5f2a1c0-0001-4c53-9f00-000000000001"
        case .domainAdmin: "c5f2a1c0-0003-4c53-9f00-000000000003"
        case .user: "c5f2a1c0-0004-4c53-9f00-000000000004"
        }
    }

    /// CloudStack's default role name.
    var roleName: String {
        switch self {
        case .rootAdmin: "Root Admin"
        case .domainAdmin: "Domain Admin"
        case .user: "User"
        }
    }

    /// CloudStack's description of the default role.
    var roleDescription: String {
        switch self {
        case .rootAdmin: "Default root admin role"
        case .domainAdmin: "Default domain admin role"
        case .user: "Default user role"
        }
    }

    /// The role with this UUID.
    init?(roleId: String) {
        guard let role = Role.allCases.first(where: { $0.roleId == roleId.lowercased() }) else { return nil }
        self = role
    }
}

enum RoleCommands {
    static var all: [CommandDescriptor] { [listRoles] }

    static func role(_ role: Role) -> APIValue {
        .object([
            ("id", .string(role.roleId)), ("name", .string(role.roleName)), ("type", .string(role.typeName)),
            ("description", .string(role.roleDescription)), ("isdefault", .bool(true)),
            ("ispublic", .bool(true)), ("state", .string("ENABLED")),
        ])
    }

    static let listRoles = CommandDescriptor(
        "listRoles",
        "Lists dynamic roles in CloudStack",
        parameters: [
            ParameterDescriptor("id", .uuid, "List role by role ID."),
            ParameterDescriptor("name", .string, "List role by role name."),
            ParameterDescriptor(
                "type",
                .string,
                "List role by role type, valid options are: Admin, DomainAdmin, User."
            ),
            ParameterDescriptor("keyword", .string, "List by keyword"),
            ParameterDescriptor("page", .integer, "the page to return"),
            ParameterDescriptor("pagesize", .integer, "the number of items per page"),
        ]
    ) { context in
        let query = try context.listQuery()
        // Callers see the roles they could hand out: their own and the ones below it.
        let visible: [Role] =
            switch context.caller.role {
            case .rootAdmin: [.rootAdmin, .domainAdmin, .user]
            case .domainAdmin: [.domainAdmin, .user]
            case .user: [.user]
            }
        var roles = visible
        if let id = context.string("id") { roles = roles.filter { $0.roleId == id.lowercased() } }
        if let name = context.string("name") { roles = roles.filter { $0.roleName.lowercased() == name.lowercased() } }
        if let type = context.string("type") { roles = roles.filter { $0.typeName.lowercased() == type.lowercased() } }
        if let keyword = context.string("keyword")?.lowercased() {
            roles = roles.filter { $0.roleName.lowercased().contains(keyword) }
        }
        let size = query.pageSize ?? max(roles.count, 1)
        let page = roles.paged(query.page, size: size)
        return .list(item: "role", total: roles.count, items: page.map(Self.role))
    }
}
