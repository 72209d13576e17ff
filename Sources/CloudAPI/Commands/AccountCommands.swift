import CloudCore
import CloudModel
import CloudStore
import Foundation
import Orchestrator

/// Accounts: list, create, update, disable/enable, delete; and logout.
enum AccountCommands {
    static var all: [CommandDescriptor] {
        [listAccounts, createAccount, updateAccount, disableAccount, enableAccount, deleteAccount, logout]
            + UserCommands.all + RoleCommands.all
    }

    static let admins: Set<Role> = [.rootAdmin, .domainAdmin]

    /// The list query of listAccounts/listUsers (CloudStack's searchForAccounts): a user sees its own account;
    /// an admin the accounts of its domain (or `domainid`), with `isrecursive`/`listall` the subtree below it;
    /// `account` names one account.
    static func accountListQuery(_ context: CommandContext, column: String) async throws -> ListQuery {
        var query = try context.listQuery()
        if context.caller.role == .user {
            query.equals.append((column, context.caller.account.id))
        } else if let name = context.string("account") {
            query.equals.append((column, try await context.namedAccount(name).id))
        } else {
            let domain =
                context.string("domainid") == nil
                ? try await context.callerDomain() : try await context.accessibleDomain()
            let recursive = context.bool("isrecursive") || context.bool("listall")
            query.domainScope = DomainScope(column: .account(column), path: domain.path, recursive: recursive)
        }
        return query
    }

    /// The account an admin command names by `id`, or by `account` (+ `domainid`), checked for access.
    /// - Throws: 431 when neither is given or it is unknown, 531 out of reach.
    static func namedTarget(_ context: CommandContext) async throws -> Account {
        if context.string("id") != nil {
            let account = try await context.entity(Account.self, "id")
            guard try await context.mayAccess(account: account) else {
                throw CommandContext.permissionDenied(
                    "Account \(context.caller.account.name) does not have permission to operate on account \(account.name)"
                )
            }
            return account
        }
        guard let name = context.string("account") else { throw CloudError.missingParameter(context.command, "id") }
        return try await context.namedAccount(name)
    }

    /// Refuses operations on the caller's own account and on the system account.
    static func refuseProtected(_ account: Account, _ context: CommandContext) throws(CloudError) {
        if account.id == context.caller.account.id || account.name == "system" {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "The account \(account.name) is the caller's own or a system account and cannot be \(context.command.hasPrefix("delete") ? "deleted" : "disabled")"
            )
        }
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
        var query = try await Self.accountListQuery(context, column: "id")
        // Projects' accounts are not listed (CloudStack's account type 5 stays out of listAccounts).
        query.projects = .exclude(column: "id")
        if let type = context.int("accounttype") { query.equals.append(("role", String(type))) }
        if let state = context.string("state") { query.equals.append(("state", state.lowercased())) }
        let page = try await context.server.store.list(Account.self, query)
        return .list(
            item: "account",
            total: page.total,
            items: try await AccountResponses.render(page.items, store: context.server.store)
        )
    }

    /// The role asked for by `roleid` or `accounttype` (default User); a domain admin cannot create root admins.
    static func requestedRole(_ context: CommandContext) throws(CloudError) -> Role {
        let role: Role
        if let roleId = context.string("roleid") {
            guard let found = Role(roleId: roleId) else {
                throw CloudError.invalidParameter(context.command, "roleid", roleId)
            }
            role = found
        } else {
            let type = context.int("accounttype") ?? 0
            guard let found = Role(rawValue: type) else {
                throw CloudError.invalidParameter(context.command, "accounttype", String(type))
            }
            role = found
        }
        guard context.caller.role == .rootAdmin || role != .rootAdmin else {
            let name = context.string("roleid") == nil ? "accounttype" : "roleid"
            throw CloudError.invalidParameter(context.command, name, context.string(name) ?? "")
        }
        return role
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
        let role = try Self.requestedRole(context)
        let username = try context.required("username")
        let domain: Domain
        if context.string("domainid") == nil {
            domain = try await context.callerDomain()
        } else {
            guard let found = try await context.server.store.get(Domain.self, id: try context.required("domainid"))
            else { throw CloudError.invalidParameter(context.command, "domainid", context.string("domainid") ?? "") }
            guard try await context.mayAccess(domain: found) else {
                throw CommandContext.permissionDenied(
                    "Account \(context.caller.account.name) cannot create accounts in domain \(found.displayPath)"
                )
            }
            domain = found
        }
        let account = Account(
            id: UUID().uuidString.lowercased(),
            name: context.string("account") ?? username,
            domainId: domain.id,
            role: role,
            created: Timestamp.now
        )
        let user = User(
            id: UUID().uuidString.lowercased(),
            accountId: account.id,
            domainId: domain.id,
            username: username,
            passwordHash: PasswordHasher.hash(try context.required("password")),
            firstname: try context.required("firstname"),
            lastname: try context.required("lastname"),
            email: try context.required("email"),
            created: Timestamp.now
        )
        if try await context.server.store.user(named: username, domainId: domain.id) != nil {
            throw UserCommands.duplicate(username)
        }
        do {
            try await context.server.store.insert(account)
        } catch let error as StoreError where error.kind == .duplicate {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "The specified account: \(account.name) already exists in domain \(domain.displayPath)"
            )
        }
        try await UserCommands.insert(user, context)
        return .object(name: "account", Self.account(account, users: [user], domain: domain))
    }

    static func account(_ account: Account, users: [User], domain: Domain) -> APIValue {
        AccountResponses.account(account, users: users, domain: domain)
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
        var account = try await Self.namedTarget(context)
        if let name = context.string("newname"), name != account.name {
            account.name = name
            do {
                try await context.server.store.replace(account, id: account.id)
            } catch let error as StoreError where error.kind == .duplicate {
                throw CloudError(
                    .paramError,
                    csErrorCode: 4350,
                    "There already exists an account with the name:\(name) in the domain:\(account.domainId) with existing account id:\(account.id)"
                )
            }
        }
        return .object(name: "account", try await AccountResponses.render(account, store: context.server.store))
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
        var account = try await Self.namedTarget(context)
        try Self.refuseProtected(account, context)
        let lock = context.bool("lock")
        let server = context.server
        account.state = lock ? "locked" : "disabled"
        let disabled = account
        return try await context.submitJob(instanceType: "Account", instanceId: account.id) {
            let account = disabled
            try await server.store.replace(account, id: account.id)
            if !lock {
                let running = try await server.store.list(
                    VirtualMachine.self,
                    ListQuery(equals: [("account_id", account.id), ("state", "Running")])
                )
                for vm in running.items { _ = try await server.virtualMachines.stop(id: vm.id, forced: false) }
            }
            return ("account", try await AccountResponses.render(account, store: server.store))
        }
    }

    static let enableAccount = CommandDescriptor(
        "enableAccount",
        "Enables an account",
        roles: admins,
        events: .records(CommandEvent(.accountEnable, "enabling Account", .account)),
        parameters: targetParameters
    ) { context in
        var account = try await Self.namedTarget(context)
        account.state = "enabled"
        try await context.server.store.replace(account, id: account.id)
        return .object(name: "account", try await AccountResponses.render(account, store: context.server.store))
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
        try Self.refuseProtected(account, context)
        let server = context.server
        return try await context.submitJob(instanceType: "Account", instanceId: account.id) {
            try await AccountCleanup.remove(account, server: server.core)
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
