import CloudCore
import CloudModel

/// Accounts: list, create, update, disable/enable, delete; and logout.
enum AccountCommands {
    static var all: [CommandDescriptor] {
        [listAccounts, createAccount, updateAccount, disableAccount, enableAccount, deleteAccount, logout]
            + UserCommands.all + RoleCommands.all
    }

    static let admins: Set<Role> = [.rootAdmin, .domainAdmin]

    /// The account an admin command names by `id`, or by `account` (+ `domainid`), checked for access.
    /// - Throws: 431 when neither is given or it is unknown, 531 out of reach.
    static func namedTarget(_ context: CommandContext) async throws -> Account {
        try await context.core.accounts.target(
            context.access,
            id: context.string("id"),
            name: context.string("account"),
            domainId: context.string("domainid")
        )
    }

    static let targetParameters = [
        ParameterDescriptor("id", .uuid, "Account id"),
        ParameterDescriptor("account", .string, "Account name (with domainid)"),
        ParameterDescriptor("domainid", .uuid, "The domain of the account"),
    ]

    static let listAccounts = CommandDescriptor(
        "listAccounts",
        "Lists accounts and provides detailed account information for listed accounts",
        parameters: ListParameters.all + ListParameters.scope + [
            ParameterDescriptor("accounttype", .integer, "list accounts by account type"),
            ParameterDescriptor("state", .string, "list accounts by state"),
        ]
    ) { context in
        let page = try await context.core.accounts.list(
            context.access,
            context.listRequest,
            type: context.int("accounttype"),
            state: context.string("state")
        )
        return .list(
            item: "account",
            total: page.total,
            items: try await AccountResponses.render(page.items, core: context.core)
        )
    }

    static let createAccount = CommandDescriptor(
        "createAccount",
        "Creates an account",
        roles: admins,
        events: .records(CommandEvent(.accountCreate, "creating Account", .account)),
        parameters: [
            ParameterDescriptor("username", .string, required: true, "Unique username"),
            ParameterDescriptor("password", .string, required: true, "Clear text password"),
            ParameterDescriptor("email", .string, required: true, "email"),
            ParameterDescriptor("firstname", .string, required: true, "firstname"),
            ParameterDescriptor("lastname", .string, required: true, "lastname"),
            ParameterDescriptor("accounttype", .integer, "0 user, 1 root admin, 2 domain admin"),
            ParameterDescriptor("roleid", .uuid, "Creates the account under the specified role."),
            ParameterDescriptor("account", .string, "the account name; defaults to the username"),
            ParameterDescriptor("domainid", .uuid, "the domain"),
            ParameterDescriptor("timezone", .string, "the user's time zone"),
        ]
    ) { context in
        let (account, user, domain) = try await context.core.accounts.create(
            context.access,
            AccountService.NewAccount(
                name: context.string("account"),
                domainId: context.string("domainid"),
                roleId: context.string("roleid"),
                accountType: context.string("accounttype"),
                user: try UserCommands.newUser(context)
            )
        )
        let roleNames = try await context.core.roles.names(of: account.roleId.map { [$0] } ?? [])
        return .object(
            name: "account",
            AccountResponses.account(account, users: [user], domain: domain, roleNames: roleNames)
        )
    }

    static let updateAccount = CommandDescriptor(
        "updateAccount",
        "Updates account information for the authenticated user",
        roles: admins,
        events: .records(CommandEvent(.accountUpdate, "updating Account", .account)),
        parameters: targetParameters + [
            ParameterDescriptor("newname", .string, "new name for the account"),
            ParameterDescriptor("networkdomain", .string, "Network domain for the account's networks"),
        ]
    ) { context in
        let account = try await context.core.accounts.rename(
            context.access,
            try await Self.namedTarget(context),
            to: context.string("newname")
        )
        return .object(name: "account", try await AccountResponses.render(account, core: context.core))
    }

    static let disableAccount = CommandDescriptor(
        "disableAccount",
        "Disables an account",
        isAsync: true,
        roles: admins,
        events: .records(CommandEvent(.accountDisable, "disabling Account", .account)),
        parameters: targetParameters + [
            ParameterDescriptor(
                "lock",
                .boolean,
                required: true,
                "If true, only lock the account; else disable the account and stop its virtual machines"
            )
        ]
    ) { context in
        let account = try await Self.namedTarget(context)
        let accounts = context.core.accounts
        try accounts.refuseProtected(context.access, account)
        let lock = context.bool("lock")
        let core = context.core
        return try await context.submitJob(instanceType: "Account", instanceId: account.id) {
            let account = try await accounts.disable(account, lock: lock)
            return ("account", try await AccountResponses.render(account, core: core))
        }
    }

    static let enableAccount = CommandDescriptor(
        "enableAccount",
        "Enables an account",
        roles: admins,
        events: .records(CommandEvent(.accountEnable, "enabling Account", .account)),
        parameters: targetParameters
    ) { context in
        let account = try await context.core.accounts.enable(try await Self.namedTarget(context))
        return .object(name: "account", try await AccountResponses.render(account, core: context.core))
    }

    static let deleteAccount = CommandDescriptor(
        "deleteAccount",
        "Deletes a account, and all users associated with this account",
        isAsync: true,
        roles: admins,
        events: .records(CommandEvent(.accountDelete, "deleting Account", .account)),
        parameters: [ParameterDescriptor("id", .uuid, required: true, "Account id")]
    ) { context in
        let account = try await Self.namedTarget(context)
        let accounts = context.core.accounts
        try accounts.refuseProtected(context.access, account)
        return try await context.submitJob(instanceType: "Account", instanceId: account.id) {
            try await accounts.delete(account)
            return ("success", .bool(true))
        }
    }

    static let logout = CommandDescriptor(
        "logout",
        "Logs out the user",
        events: .unrecorded("ends an API session; changes no cloud resource")
    ) { _ in
        .flat([("description", .string("success"))])
    }
}
