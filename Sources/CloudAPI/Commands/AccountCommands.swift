import CloudModel
import CloudStore
import Foundation

/// Accounts, users, keys and sessions.
enum AccountCommands {
    static var all: [CommandDescriptor] { [listAccounts, listUsers, createAccount, registerUserKeys, logout] }

    static func user(_ user: User, account: Account) -> APIValue {
        .object([
            ("id", .string(user.id)), ("username", .string(user.username)), ("firstname", .string(user.firstname)),
            ("lastname", .string(user.lastname)), ("email", .string(user.email)), ("state", .string(user.state)),
            ("account", .string(account.name)), ("accountid", .string(account.id)),
            ("accounttype", .int(account.role.rawValue)), ("roletype", .string(account.role.typeName)),
            ("domainid", .string(account.domainId)), ("created", .string(DateFormat.string(user.created))),
        ])
    }

    static func account(_ account: Account, users: [User]) -> APIValue {
        .object([
            ("id", .string(account.id)), ("name", .string(account.name)),
            ("accounttype", .int(account.role.rawValue)), ("roletype", .string(account.role.typeName)),
            ("domainid", .string(account.domainId)), ("domain", .string("ROOT")), ("state", .string(account.state)),
            ("user", .array(users.map { Self.user($0, account: account) })),
        ])
    }

    /// Non-root callers see only their own account.
    static func scope(_ context: CommandContext, column: String) -> [(column: String, value: String)] {
        context.caller.role == .rootAdmin ? [] : [(column, context.caller.account.id)]
    }

    static let listAccounts = CommandDescriptor(
        "listAccounts",
        "Lists accounts and provides detailed account information for listed accounts",
        parameters: ListParameters.all
    ) { context in
        let page = try await context.server.store.list(
            Account.self,
            try context.listQuery(Self.scope(context, column: "id"))
        )
        var items: [APIValue] = []
        for account in page.items {
            let users = try await context.server.store.list(User.self, ListQuery(equals: [("account_id", account.id)]))
            items.append(Self.account(account, users: users.items))
        }
        return .list(item: "account", total: page.total, items: items)
    }

    static let listUsers = CommandDescriptor(
        "listUsers",
        "Lists user accounts",
        parameters: ListParameters.all + [ParameterDescriptor("username", .string, "user name")]
    ) { context in
        var filters = Self.scope(context, column: "account_id")
        if let name = context.string("username") { filters.append(("username", name)) }
        let page = try await context.server.store.list(User.self, try context.listQuery(filters))
        var items: [APIValue] = []
        for user in page.items {
            guard let account = try await context.server.store.get(Account.self, id: user.accountId) else { continue }
            items.append(Self.user(user, account: account))
        }
        return .list(item: "user", total: page.total, items: items)
    }

    static let createAccount = CommandDescriptor(
        "createAccount",
        "Creates an account",
        roles: [.rootAdmin, .domainAdmin],
        parameters: [
            ParameterDescriptor("username", .string, required: true, "Unique username"),
            ParameterDescriptor("password", .string, required: true, "Clear text password"),
            ParameterDescriptor("email", .string, required: true, "email"),
            ParameterDescriptor("firstname", .string, required: true, "firstname"),
            ParameterDescriptor("lastname", .string, required: true, "lastname"),
            ParameterDescriptor("accounttype", .integer, "0 user, 1 root admin, 2 domain admin"),
            ParameterDescriptor("account", .string, "the account name; defaults to the username"),
            ParameterDescriptor("domainid", .uuid, "the domain"),
        ]
    ) { context in
        let type = context.int("accounttype") ?? 0
        guard let role = Role(rawValue: type), context.caller.role == .rootAdmin || role == .user else {
            throw CloudAPIError.invalidParameter(context.command, "accounttype", String(type))
        }
        let username = try context.required("username")
        let domainId = context.string("domainid") ?? context.caller.account.domainId
        guard try await context.server.store.domainExists(id: domainId) else {
            throw CloudAPIError.invalidParameter(context.command, "domainid", domainId)
        }
        let account = Account(
            id: UUID().uuidString.lowercased(),
            name: context.string("account") ?? username,
            domainId: domainId,
            role: role,
            created: Timestamp.now
        )
        let user = User(
            id: UUID().uuidString.lowercased(),
            accountId: account.id,
            username: username,
            passwordHash: PasswordHasher.hash(try context.required("password")),
            firstname: try context.required("firstname"),
            lastname: try context.required("lastname"),
            email: try context.required("email"),
            created: Timestamp.now
        )
        if try await context.server.store.user(named: username) != nil {
            throw CloudAPIError(.paramError, csErrorCode: 4350, "The user \(username) already exists")
        }
        try await context.server.store.insert(account)
        try await context.server.store.insert(user)
        return .object(name: "account", Self.account(account, users: [user]))
    }

    static let registerUserKeys = CommandDescriptor(
        "registerUserKeys",
        "This command allows a user to register for the developer API, returning a secret key and an API key.",
        parameters: [ParameterDescriptor("id", .uuid, required: true, "User id")]
    ) { context in
        let user = try await context.entity(User.self, "id")
        if context.caller.role != .rootAdmin && user.accountId != context.caller.account.id {
            throw CloudAPIError(.accountError, csErrorCode: 4365, "Caller cannot register keys for user \(user.id)")
        }
        let apiKey = PasswordHasher.randomToken(bytes: 64)
        let secretKey = PasswordHasher.randomToken(bytes: 64)
        try await context.server.store.setKeys(userId: user.id, apiKey: apiKey, secretKey: secretKey)
        return .object(name: "userkeys", .object([("apikey", .string(apiKey)), ("secretkey", .string(secretKey))]))
    }

    static let logout = CommandDescriptor("logout", "Logs out the user") { _ in
        .flat([("description", .string("success"))])
    }
}
