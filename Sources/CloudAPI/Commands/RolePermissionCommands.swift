import CloudCore
import CloudModel

/// A role's ordered rules: createRolePermission, listRolePermissions, updateRolePermission, deleteRolePermission
/// (``RoleService``). The rules decide, first match first, which commands an account of the role may call.
enum RolePermissionCommands {
    static var all: [CommandDescriptor] { [create, list, update, delete] }

    /// A RolePermissionResponse.
    static func permission(_ permission: RolePermission, role: RoleDefinition) -> APIValue {
        var fields: [(String, APIValue)] = [
            ("id", .string(permission.id)), ("roleid", .string(role.id)), ("rolename", .string(role.name)),
            ("rule", .string(permission.rule)), ("permission", .string(permission.permission)),
        ]
        if !permission.description.isEmpty { fields.append(("description", .string(permission.description))) }
        return .object(fields)
    }

    static let create = CommandDescriptor(
        "createRolePermission",
        "Adds an API permission to a role",
        roles: RoleCommands.admin,
        events: .records(CommandEvent(.rolePermissionCreate, "creating Role Permission", .roleOfRule)),
        parameters: [
            ParameterDescriptor("roleid", .uuid, required: true, "ID of the role"),
            ParameterDescriptor("rule", .string, required: true, "The API name or wildcard rule such as list*"),
            ParameterDescriptor(
                "permission",
                .string,
                required: true,
                "The rule permission, allow or deny. Default: deny."
            ),
            ParameterDescriptor("description", .string, "The description of the role permission"),
        ]
    ) { context in
        let (permission, role) = try await context.core.roles.addPermission(
            context.access,
            roleId: try context.required("roleid"),
            rule: try context.required("rule"),
            permission: try context.required("permission"),
            description: context.string("description")
        )
        return .object(name: "rolepermission", Self.permission(permission, role: role))
    }

    static let list = CommandDescriptor(
        "listRolePermissions",
        "Lists role permissions",
        roles: RoleCommands.admin,
        parameters: [ParameterDescriptor("roleid", .uuid, "ID of the role")]
    ) { context in
        let rules = try await context.core.roles.permissions(context.access, roleId: context.string("roleid"))
        return .list(
            item: "rolepermission",
            total: rules.count,
            items: rules.map { Self.permission($0.permission, role: $0.role) }
        )
    }

    static let update = CommandDescriptor(
        "updateRolePermission",
        "Updates a role permission order",
        roles: RoleCommands.admin,
        events: .records(CommandEvent(.rolePermissionUpdate, "updating Role Permission order", .roleOfRule)),
        parameters: [
            ParameterDescriptor("roleid", .uuid, required: true, "ID of the role"),
            ParameterDescriptor(
                "ruleorder",
                .list,
                "The parent role permission uuid, use 0 to move this rule at the top of the list"
            ),
            ParameterDescriptor("ruleid", .uuid, "Role permission rule id"),
            ParameterDescriptor("permission", .string, "Rule permission, can be: allow or deny"),
        ]
    ) { context in
        try await context.core.roles.updatePermissions(
            context.access,
            roleId: try context.required("roleid"),
            order: context.string("ruleorder")?.split(separator: ",").map(String.init),
            ruleId: context.string("ruleid"),
            permission: context.string("permission")
        )
        return .flat([("success", .bool(true))])
    }

    static let delete = CommandDescriptor(
        "deleteRolePermission",
        "Deletes a role permission",
        roles: RoleCommands.admin,
        events: .records(CommandEvent(.rolePermissionDelete, "deleting Role Permission")),
        parameters: [ParameterDescriptor("id", .uuid, required: true, "ID of the role permission")]
    ) { context in
        try await context.core.roles.deletePermission(context.access, id: try context.required("id"))
        return .flat([("success", .bool(true))])
    }
}
