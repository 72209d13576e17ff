import CloudCore
import CloudModel

/// listRoles: the three fixed roles (``RoleService``).
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
        let page = try context.core.roles.list(
            context.access,
            context.listRequest,
            id: context.string("id"),
            name: context.string("name"),
            type: context.string("type")
        )
        return .list(item: "role", total: page.total, items: page.items.map(Self.role))
    }
}
