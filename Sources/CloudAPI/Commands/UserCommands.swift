import CloudCore
import CloudModel
import CloudStore
import Foundation

/// Users: list, create, update, delete, disable/enable, and their API keys.
enum UserCommands {
    static var all: [CommandDescriptor] {
        [listUsers, createUser, updateUser, deleteUser, disableUser, enableUser, getUserKeys, registerUserKeys]
    }

    static let idParameter = ParameterDescriptor("id", .uuid, required: true, "User id")

    /// Loads the user named by `id`, refusing users out of the caller's reach (531): a user reaches itself, a
    /// domain admin the users of its domain subtree, the root admin all.
    static func reachableUser(_ context: CommandContext) async throws -> User {
        let user = try await context.entity(User.self, "id")
        let reachable =
            context.caller.role == .user
            ? user.id == context.caller.user.id : try await context.mayAccess(accountId: user.accountId)
        guard reachable else {
            throw CommandContext.permissionDenied(
                "Account \(context.caller.account.name) does not have permission to operate on user \(user.id)"
            )
        }
        return user
    }

    /// Refuses acting on oneself where that would lock the caller out.
    static func refuseSelf(_ user: User, _ context: CommandContext) throws(CloudError) {
        if user.id == context.caller.user.id {
            throw CloudError(.paramError, csErrorCode: 4350, "The caller cannot \(context.command.prefix(6)) itself")
        }
    }

    /// CloudStack's answer to a login name taken in the domain.
    static func duplicate(_ username: String) -> CloudError {
        CloudError(.paramError, csErrorCode: 4350, "The user \(username) already exists in this domain")
    }

    /// Inserts a new user, refusing (431) a login name its domain already has.
    static func insert(_ user: User, _ context: CommandContext) async throws {
        if try await context.server.store.user(named: user.username, domainId: user.domainId) != nil {
            throw Self.duplicate(user.username)
        }
        do {
            try await context.server.store.insert(user)
        } catch let error where error.kind == .duplicate {
            throw Self.duplicate(user.username)
        }
    }

    static func rendered(_ user: User, _ context: CommandContext) async throws -> APIValue {
        try await AccountResponses.render(user, store: context.server.store)
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
        var query = try await AccountCommands.accountListQuery(context, column: "account_id")
        // Users have no `name`: `name` and `keyword` match the username.
        query.equals.removeAll { $0.column == "name" }
        query.keyword = nil
        if let name = context.string("username") ?? context.string("name") { query.equals.append(("username", name)) }
        if let state = context.string("state") { query.equals.append(("state", state.lowercased())) }
        if context.caller.role == .user { query.equals.append(("id", context.caller.user.id)) }
        var page = try await context.server.store.list(User.self, query)
        if let keyword = context.string("keyword")?.lowercased() {
            page.items = page.items.filter { $0.username.lowercased().contains(keyword) }
            page.total = page.items.count
        }
        var accounts: [String: Account] = [:]
        for accountId in Set(page.items.map(\.accountId)) {
            accounts[accountId] = try await context.server.store.get(Account.self, id: accountId)
        }
        if let type = context.int("accounttype") {
            page.items = page.items.filter { accounts[$0.accountId]?.role.rawValue == type }
            page.total = page.items.count
        }
        let domains = try await AccountResponses.domains(of: Array(accounts.values), store: context.server.store)
        let items = page.items.compactMap { user -> APIValue? in
            guard let account = accounts[user.accountId] else { return nil }
            return AccountResponses.user(user, account: account, domain: domains[account.domainId])
        }
        return .list(item: "user", total: page.total, items: items)
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
        let account = try await context.namedAccount(try context.required("account"))
        let username = try context.required("username")
        let user = User(
            id: UUID().uuidString.lowercased(),
            accountId: account.id,
            domainId: account.domainId,
            username: username,
            passwordHash: PasswordHasher.hash(try context.required("password")),
            firstname: try context.required("firstname"),
            lastname: try context.required("lastname"),
            email: try context.required("email"),
            created: Timestamp.now
        )
        try await Self.insert(user, context)
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
        var user = try await Self.reachableUser(context)
        if let email = context.string("email") { user.email = email }
        if let first = context.string("firstname") { user.firstname = first }
        if let last = context.string("lastname") { user.lastname = last }
        if let username = context.string("username"), username != user.username {
            if try await context.server.store.user(named: username, domainId: user.domainId) != nil {
                throw Self.duplicate(username)
            }
            user.username = username
        }
        if let password = context.string("password") {
            if context.caller.role == .user {
                guard let current = context.string("currentpassword"),
                    PasswordHasher.verify(current, against: user.passwordHash)
                else {
                    throw CloudError(.paramError, csErrorCode: 4350, "Current password is incorrect")
                }
            }
            user.passwordHash = PasswordHasher.hash(password)
        }
        try await context.server.store.replace(user, id: user.id)
        return .object(name: "user", try await Self.rendered(user, context))
    }

    static let deleteUser = CommandDescriptor(
        "deleteUser",
        "Deletes a user for an account",
        roles: AccountCommands.admins,
        events: .records(CommandEvent(.userDelete, "deleting User", .user)),
        parameters: [idParameter]
    ) { context in
        let user = try await Self.reachableUser(context)
        try Self.refuseSelf(user, context)
        try await context.server.store.deleteUser(id: user.id)
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
        var user = try await Self.reachableUser(context)
        try Self.refuseSelf(user, context)
        let store = context.server.store
        user.state = "disabled"
        let disabled = user
        return try await context.submitJob(instanceType: "User", instanceId: user.id) {
            let user = disabled
            try await store.replace(user, id: user.id)
            return ("user", try await AccountResponses.render(user, store: store))
        }
    }

    static let enableUser = CommandDescriptor(
        "enableUser",
        "Enables a user account",
        roles: AccountCommands.admins,
        events: .records(CommandEvent(.userEnable, "enabling User", .user)),
        parameters: [idParameter]
    ) { context in
        var user = try await Self.reachableUser(context)
        user.state = "enabled"
        try await context.server.store.replace(user, id: user.id)
        // As CloudStack's enableUser: the failed logins that disabled it no longer count.
        try await context.server.store.resetLoginAttempts(userId: user.id)
        return .object(name: "user", try await Self.rendered(user, context))
    }

    static let getUserKeys = CommandDescriptor(
        "getUserKeys",
        "This command allows the user to query the seceret and API keys for the account",
        parameters: [ParameterDescriptor("id", .uuid, required: true, "ID of the user whose keys are required")]
    ) { context in
        let user = try await Self.reachableUser(context)
        var fields: [(String, APIValue)] = []
        if let apiKey = user.apiKey { fields.append(("apikey", .string(apiKey))) }
        if let stored = user.secretKey {
            fields.append(("secretkey", .string(try context.server.secrets.open(stored))))
        }
        return .object(name: "userkeys", .object(fields))
    }

    static let registerUserKeys = CommandDescriptor(
        "registerUserKeys",
        "This command allows a user to register for the developer API, returning a secret key and an API key.",
        events: .records(CommandEvent(.registerUserKey, "registering user keys", .user)),
        parameters: [idParameter]
    ) { context in
        let user = try await Self.reachableUser(context)
        let apiKey = PasswordHasher.randomToken(bytes: 64)
        let secretKey = PasswordHasher.randomToken(bytes: 64)
        try await context.server.store.setKeys(
            userId: user.id,
            apiKey: apiKey,
            secretKey: try context.server.secrets.seal(secretKey)
        )
        return .object(name: "userkeys", .object([("apikey", .string(apiKey)), ("secretkey", .string(secretKey))]))
    }
}
