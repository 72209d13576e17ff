import CloudCore
import CloudModel

/// Dynamic roles: listRoles, createRole, updateRole, enableRole, disableRole, importRole and deleteRole
/// (``RoleService`` applies CloudStack's `RoleManagerImpl` rules). Only root admins change roles.
enum RoleCommands {
    static var all: [CommandDescriptor] {
        [listRoles, create, update, enable, disable, importRole, delete] + RolePermissionCommands.all
    }

    static let admin: Set<Role> = [.rootAdmin]

    /// A RoleResponse.
    static func role(_ role: RoleDefinition) -> APIValue {
        var fields: [(String, APIValue)] = [
            ("id", .string(role.id)), ("name", .string(role.name)), ("type", .string(role.roleType.typeName)),
        ]
        if !role.description.isEmpty { fields.append(("description", .string(role.description))) }
        fields += [
            ("isdefault", .bool(role.isDefault)), ("ispublic", .bool(role.isPublic)), ("state", .string(role.state)),
        ]
        return .object(fields)
    }

    /// `ispublic` when given.
    static func isPublic(_ context: CommandContext) -> Bool? {
        context.string("ispublic").map { $0.lowercased() == "true" }
    }

    static let typeDescription = "The type of the role, valid options are: Admin, ResourceAdmin, DomainAdmin, User"
    static let publicDescription =
        "Indicates whether the role will be visible to all users (public) or only to root admins (private)."

    static let listRoles = CommandDescriptor(
        "listRoles",
        "Lists dynamic roles in CloudStack",
        parameters: [
            ParameterDescriptor("id", .uuid, "List role by role ID."),
            ParameterDescriptor("name", .string, "List role by role name."),
            ParameterDescriptor(
                "type",
                .string,
                "List role by role type, valid options are: Admin, ResourceAdmin, DomainAdmin, User."
            ),
            ParameterDescriptor(
                "state",
                .string,
                "List role by role type status, valid options are: enabled, disabled"
            ),
            ParameterDescriptor("keyword", .string, "List by keyword"),
            ParameterDescriptor("page", .integer, "the page to return"),
            ParameterDescriptor("pagesize", .integer, "the number of items per page"),
        ]
    ) { context in
        let page = try await context.core.roles.list(
            context.access,
            context.listRequest,
            id: context.string("id"),
            name: context.string("name"),
            type: context.string("type"),
            state: context.string("state")
        )
        return .list(item: "role", total: page.total, items: page.items.map(Self.role))
    }

    static let create = CommandDescriptor(
        "createRole",
        "Creates a role",
        roles: admin,
        events: .records(CommandEvent(.roleCreate, "creating Role", .role)),
        parameters: [
            ParameterDescriptor("name", .string, required: true, "Creates a role with this unique name"),
            ParameterDescriptor("type", .string, typeDescription),
            ParameterDescriptor(
                "roleid",
                .uuid,
                "ID of the role to be cloned from. Either roleid or type must be passed in"
            ),
            ParameterDescriptor("description", .string, "The description of the role"),
            ParameterDescriptor("ispublic", .boolean, publicDescription),
        ]
    ) { context in
        let role = try await context.core.roles.create(
            context.access,
            name: try context.required("name"),
            type: context.string("type"),
            cloneOf: context.string("roleid"),
            description: context.string("description"),
            isPublic: Self.isPublic(context)
        )
        return .object(name: "role", Self.role(role))
    }

    static let update = CommandDescriptor(
        "updateRole",
        "Updates a role",
        roles: admin,
        events: .records(CommandEvent(.roleUpdate, "updating Role", .role)),
        parameters: [
            ParameterDescriptor("id", .uuid, required: true, "ID of the role"),
            ParameterDescriptor("name", .string, "creates a role with this unique name"),
            ParameterDescriptor("type", .string, typeDescription),
            ParameterDescriptor("description", .string, "The description of the role"),
            ParameterDescriptor("ispublic", .boolean, publicDescription),
        ]
    ) { context in
        let role = try await context.core.roles.update(
            context.access,
            id: try context.required("id"),
            name: context.string("name"),
            type: context.string("type"),
            description: context.string("description"),
            isPublic: Self.isPublic(context)
        )
        return .object(name: "role", Self.role(role))
    }

    static func setState(_ name: String, _ enabled: Bool, _ event: CommandEvent) -> CommandDescriptor {
        CommandDescriptor(
            name,
            enabled ? "Enables a role" : "Disables a role",
            roles: admin,
            events: .records(event),
            parameters: [ParameterDescriptor("id", .uuid, required: true, "ID of the role")]
        ) { context in
            try await context.core.roles.setEnabled(context.access, id: try context.required("id"), enabled)
            return .flat([("success", .bool(true))])
        }
    }

    static let enable = setState("enableRole", true, CommandEvent(.roleEnable, "enabling Role", .role))
    static let disable = setState("disableRole", false, CommandEvent(.roleDisable, "disabling Role", .role))

    static let importRole = CommandDescriptor(
        "importRole",
        "Imports a role based on provided map of rule permissions",
        roles: admin,
        events: .records(CommandEvent(.roleImport, "importing Role", .role)),
        parameters: [
            ParameterDescriptor("name", .string, required: true, "Creates a role with this unique name"),
            ParameterDescriptor("type", .string, typeDescription),
            ParameterDescriptor("description", .string, "The description of the role"),
            ParameterDescriptor(
                "rules",
                .map,
                "Rules param list, rule and permission is must. Example: rules[0].rule=create*&rules[0].permission=deny&rules[0].description=deny creation of all resources"
            ),
            ParameterDescriptor(
                "forced",
                .boolean,
                "Force create a role with the same name. This overrides the role type, description and rule permissions for the existing role. Default is false."
            ),
            ParameterDescriptor("ispublic", .boolean, publicDescription),
        ]
    ) { context in
        let entries = context.parameters.indexedMap("rules")
        guard !entries.isEmpty else { throw CloudError.missingParameter(context.command, "rules") }
        let rules = entries.map { entry in
            let lowered = Dictionary(entry.map { ($0.key.lowercased(), $0.value) }) { first, _ in first }
            return RoleService.ImportedRule(
                rule: lowered["rule"],
                permission: lowered["permission"],
                description: lowered["description"]
            )
        }
        let role = try await context.core.roles.importRole(
            context.access,
            name: try context.required("name"),
            type: context.string("type"),
            description: context.string("description"),
            rules: rules,
            forced: context.bool("forced"),
            isPublic: Self.isPublic(context)
        )
        return .object(name: "role", Self.role(role))
    }

    static let delete = CommandDescriptor(
        "deleteRole",
        "Deletes a role",
        roles: admin,
        events: .records(CommandEvent(.roleDelete, "deleting Role", .role)),
        parameters: [ParameterDescriptor("id", .uuid, required: true, "ID of the role")]
    ) { context in
        try await context.core.roles.delete(context.access, id: try context.required("id"))
        return .flat([("success", .bool(true))])
    }
}
