import CloudCore
import CloudModel

/// Users: list, create, update, delete, disable/enable, and their API keys.
enum UserCommands {
    static var all: [CommandDescriptor] {
        [
            listUsers, createUser, updateUser, deleteUser, disableUser, enableUser, getUserKeys, registerUserKeys,
            getUser,
        ]
    }

    static let idParameter = ParameterDescriptor("id", .uuid, required: true, "User id")

    /// A new user's fields from `username`, `password`, `email`, `firstname` and `lastname`.
    static func newUser(_ context: CommandContext) throws(CloudError) -> UserService.NewUser {
        UserService.NewUser(
            username: try context.required("username"),
            password: try context.required("password"),
            email: try context.required("email"),
            firstname: try context.required("firstname"),
            lastname: try context.required("lastname")
        )
    }

    static func rendered(_ user: User, _ context: CommandContext) async throws -> APIValue {
        try await AccountResponses.render(user, core: context.core)
    }

    static let listUsers = CommandDescriptor(
        "listUsers",
        "Lists user accounts",
        parameters: ListParameters.all + ListParameters.scope + [
            ParameterDescriptor("username", .string, "List user by the username"),
            ParameterDescriptor("state", .string, "List users by state of the user account."),
            ParameterDescriptor("accounttype", .integer, "List users by account type."),
        ]
    ) { context in
        let listing = try await context.core.users.list(
            context.access,
            context.listRequest,
            username: context.string("username"),
            state: context.string("state"),
            accountType: context.int("accounttype")
        )
        let roleNames = try await context.core.roles.names(of: listing.accounts.values.compactMap(\.roleId))
        let items = listing.page.items.compactMap { user -> APIValue? in
            guard let account = listing.accounts[user.accountId] else { return nil }
            return AccountResponses.user(
                user,
                account: account,
                domain: listing.domains[account.domainId],
                roleNames: roleNames
            )
        }
        return .list(item: "user", total: listing.page.total, items: items)
    }

    static let createUser = CommandDescriptor(
        "createUser",
        "Creates a user for an account that already exists",
        roles: AccountCommands.admins,
        events: .records(CommandEvent(.userCreate, "creating User", .user)),
        parameters: [
            ParameterDescriptor("account", .string, required: true, "the account to create the user in"),
            ParameterDescriptor("domainid", .uuid, "the domain of the account"),
            ParameterDescriptor("username", .string, required: true, "Unique username"),
            ParameterDescriptor("password", .string, required: true, "Clear text password"),
            ParameterDescriptor("email", .string, required: true, "email"),
            ParameterDescriptor("firstname", .string, required: true, "firstname"),
            ParameterDescriptor("lastname", .string, required: true, "lastname"),
            ParameterDescriptor("timezone", .string, "the user's time zone"),
        ]
    ) { context in
        let user = try await context.core.users.create(
            context.access,
            account: try context.required("account"),
            domainId: context.string("domainid"),
            try Self.newUser(context)
        )
        return .object(name: "user", try await Self.rendered(user, context))
    }

    static let updateUser = CommandDescriptor(
        "updateUser",
        "Updates a user account",
        events: .records(CommandEvent(.userUpdate, "updating User", .user)),
        parameters: [
            idParameter,
            ParameterDescriptor("email", .string, "email"),
            ParameterDescriptor("firstname", .string, "first name"),
            ParameterDescriptor("lastname", .string, "last name"),
            ParameterDescriptor("username", .string, "Unique username"),
            ParameterDescriptor("password", .string, "Clear text password"),
            ParameterDescriptor("currentpassword", .string, "Current password (required when a user changes its own)"),
            ParameterDescriptor("timezone", .string, "the user's time zone"),
        ]
    ) { context in
        let user = try await context.core.users.update(
            context.access,
            id: try context.required("id"),
            UserService.Changes(
                email: context.string("email"),
                firstname: context.string("firstname"),
                lastname: context.string("lastname"),
                username: context.string("username"),
                password: context.string("password"),
                currentPassword: context.string("currentpassword")
            )
        )
        return .object(name: "user", try await Self.rendered(user, context))
    }

    static let deleteUser = CommandDescriptor(
        "deleteUser",
        "Deletes a user for an account",
        roles: AccountCommands.admins,
        events: .records(CommandEvent(.userDelete, "deleting User", .user)),
        parameters: [idParameter]
    ) { context in
        try await context.core.users.delete(context.access, id: try context.required("id"))
        return .flat([("success", .bool(true))])
    }

    static let disableUser = CommandDescriptor(
        "disableUser",
        "Disables a user account",
        isAsync: true,
        roles: AccountCommands.admins,
        events: .records(CommandEvent(.userDisable, "disabling User", .user)),
        parameters: [idParameter]
    ) { context in
        let users = context.core.users
        let user = try await users.reachable(context.access, id: try context.required("id"))
        try users.refuseSelf(context.access, user)
        let core = context.core
        return try await context.submitJob(instanceType: "User", instanceId: user.id) {
            let user = try await users.disable(user)
            return ("user", try await AccountResponses.render(user, core: core))
        }
    }

    static let enableUser = CommandDescriptor(
        "enableUser",
        "Enables a user account",
        roles: AccountCommands.admins,
        events: .records(CommandEvent(.userEnable, "enabling User", .user)),
        parameters: [idParameter]
    ) { context in
        let user = try await context.core.users.enable(context.access, id: try context.required("id"))
        return .object(name: "user", try await Self.rendered(user, context))
    }

    static let getUserKeys = CommandDescriptor(
        "getUserKeys",
        "This command allows the user to query the seceret and API keys for the account",
        parameters: [ParameterDescriptor("id", .uuid, required: true, "ID of the user whose keys are required")]
    ) { context in
        let keys = try await context.core.users.keys(context.access, id: try context.required("id"))
        var fields: [(String, APIValue)] = []
        if let apiKey = keys.apiKey { fields.append(("apikey", .string(apiKey))) }
        if let secretKey = keys.secretKey { fields.append(("secretkey", .string(secretKey))) }
        return .object(name: "userkeys", .object(fields))
    }

    /// CloudStack's GetUserCmd: root admins only.
    static let getUser = CommandDescriptor(
        "getUser",
        "Find user account by API key",
        roles: [.rootAdmin],
        parameters: [ParameterDescriptor("userapikey", .string, required: true, "API key of the user")]
    ) { context in
        let user = try await context.core.users.user(context.access, apiKey: try context.required("userapikey"))
        return .object(name: "user", try await Self.rendered(user, context))
    }

    static let registerUserKeys = CommandDescriptor(
        "registerUserKeys",
        "This command allows a user to register for the developer API, returning a secret key and an API key.",
        events: .records(CommandEvent(.registerUserKey, "registering user keys", .user)),
        parameters: [idParameter]
    ) { context in
        let keys = try await context.core.users.registerKeys(context.access, id: try context.required("id"))
        return .object(
            name: "userkeys",
            .object([("apikey", .string(keys.apiKey)), ("secretkey", .string(keys.secretKey))])
        )
    }
}
