import CloudModel
import CloudStore
import Foundation
import Orchestrator

/// Accounts (CloudStack's `AccountManager`): list, create (with its first user), rename, lock/disable, enable and
/// delete.
public struct AccountService: Sendable {
    let services: CloudServices
    var store: CloudStore { self.services.store }

    /// What createAccount asks for.
    public struct NewAccount: Sendable {
        /// The account's name; nil for the username.
        public var name: String?
        /// The domain; nil for the caller's.
        public var domainId: String?
        /// The role's UUID (`roleid`), which wins over ``accountType``.
        public var roleId: String?
        /// The account type as given (`accounttype`: 0 user, 1 root admin, 2 domain admin; default 0).
        public var accountType: String?
        /// The first user.
        public var user: UserService.NewUser

        /// Creates a request.
        public init(
            name: String?,
            domainId: String?,
            roleId: String?,
            accountType: String?,
            user: UserService.NewUser
        ) {
            self.name = name
            self.domainId = domainId
            self.roleId = roleId
            self.accountType = accountType
            self.user = user
        }
    }

    /// The accounts the caller may see (CloudStack's searchForAccounts), projects' accounts left out.
    /// - Parameters:
    ///   - access: the caller's access.
    ///   - request: paging, filters and scope.
    ///   - type: an account type (the role's number).
    ///   - state: a state (case-insensitive).
    /// - Throws: 431 for bad paging or unknown names, 531 out of reach.
    public func list(
        _ access: Access,
        _ request: ListRequest,
        type: Int?,
        state: String?
    ) async throws -> ListPage<Account> {
        var query = try await Self.query(access, request, column: "id")
        // Projects' accounts are not listed (CloudStack's account type 5 stays out of listAccounts).
        query.projects = .exclude(column: "id")
        if let type { query.equals.append(("role", String(type))) }
        if let state { query.equals.append(("state", state.lowercased())) }
        return try await self.store.list(Account.self, query)
    }

    /// The list query of listAccounts/listUsers: a user sees its own account; an admin the accounts of its domain
    /// (or `domainId`), with `isRecursive`/`listAll` the subtree below it; `account` names one account.
    static func query(_ access: Access, _ request: ListRequest, column: String) async throws -> ListQuery {
        var query = try access.query(request)
        if access.caller.role == .user {
            query.equals.append((column, access.caller.account.id))
        } else if let name = request.account {
            query.equals.append((column, try await access.namedAccount(name, domainId: request.domainId).id))
        } else {
            let domain =
                request.domainId == nil
                ? try await access.callerDomain() : try await access.domain(id: request.domainId ?? "")
            let recursive = request.isRecursive || request.listAll
            query.domainScope = DomainScope(column: .account(column), path: domain.path, recursive: recursive)
        }
        return query
    }

    /// The role asked for by `roleId` (a default role or an enabled role an admin created) or `accountType`
    /// (default User); a domain admin cannot create root admins.
    /// - Returns: the role's type, and the UUID of a role that is not its type's default.
    /// - Throws: 431 naming the parameter.
    public func role(
        _ access: Access,
        roleId: String?,
        accountType: String?
    ) async throws -> (type: Role, roleId: String?) {
        let role: (type: Role, roleId: String?)
        if let roleId {
            role = try await self.services.roles.accountRole(access, roleId: roleId)
        } else {
            let type = accountType.flatMap { Int($0) } ?? 0
            guard let found = Role(rawValue: type) else {
                throw CloudError.invalidParameter(access.command, "accounttype", String(type))
            }
            role = (found, nil)
        }
        guard access.caller.role == .rootAdmin || role.type != .rootAdmin else {
            let (name, value) = roleId == nil ? ("accounttype", accountType) : ("roleid", roleId)
            throw CloudError.invalidParameter(access.command, name, value ?? "")
        }
        return role
    }

    /// Creates an account and its first user.
    /// - Returns: the account, the user and the account's domain.
    /// - Throws: 431 for a bad role, an unknown domain or a name taken; 531 for a domain out of reach.
    public func create(
        _ access: Access,
        _ request: NewAccount
    ) async throws -> (account: Account, user: User, domain: Domain) {
        let role = try await self.role(access, roleId: request.roleId, accountType: request.accountType)
        let domain: Domain
        if let domainId = request.domainId {
            guard let found = try await self.store.get(Domain.self, id: domainId) else {
                throw CloudError.invalidParameter(access.command, "domainid", domainId)
            }
            guard try await access.mayAccess(domain: found) else {
                throw Access.permissionDenied(
                    "Account \(access.caller.account.name) cannot create accounts in domain \(found.displayPath)"
                )
            }
            domain = found
        } else {
            domain = try await access.callerDomain()
        }
        let account = Account(
            id: UUID().uuidString.lowercased(),
            name: request.name ?? request.user.username,
            domainId: domain.id,
            role: role.type,
            created: self.services.clock.now,
            roleId: role.roleId
        )
        let user = request.user.user(accountId: account.id, domainId: domain.id, created: self.services.clock.now)
        if try await self.store.user(named: user.username, domainId: domain.id) != nil {
            throw UserService.duplicate(user.username)
        }
        try await self.services.insert(
            account,
            duplicate: "The specified account: \(account.name) already exists in domain \(domain.displayPath)"
        )
        try await self.services.users.insert(user)
        return (account, user, domain)
    }

    /// The account an admin operation names by `id`, or by `name` (+ `domainId`), checked for access.
    /// - Throws: 431 when neither is given or it is unknown, 531 out of reach.
    public func target(_ access: Access, id: String?, name: String?, domainId: String?) async throws -> Account {
        if let id {
            guard let account = try await self.store.get(Account.self, id: id) else { throw access.unknown("id", id) }
            guard try await access.mayAccess(account: account) else {
                throw Access.permissionDenied(
                    "Account \(access.caller.account.name) does not have permission to operate on account \(account.name)"
                )
            }
            return account
        }
        guard let name else { throw CloudError.missingParameter(access.command, "id") }
        return try await access.namedAccount(name, domainId: domainId)
    }

    /// Renames an account (updateAccount).
    /// - Parameters:
    ///   - access: the caller's access.
    ///   - account: the account, from ``target(_:id:name:domainId:)``.
    ///   - name: the new name; nil or the same name changes nothing.
    /// - Returns: the account.
    /// - Throws: 431 when the name is taken.
    public func rename(_ access: Access, _ account: Account, to name: String?) async throws -> Account {
        var account = account
        guard let name, name != account.name else { return account }
        account.name = name
        do {
            try await self.store.replace(account, id: account.id)
        } catch {
            guard error.kind == .duplicate else { throw error }
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "There already exists an account with the name:\(name) in the domain:\(account.domainId) with existing account id:\(account.id)"
            )
        }
        return account
    }

    /// Refuses operations on the caller's own account and on the system account (disable, delete).
    /// - Throws: 431.
    public func refuseProtected(_ access: Access, _ account: Account) throws(CloudError) {
        if account.id == access.caller.account.id || account.name == "system" {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "The account \(account.name) is the caller's own or a system account and cannot be \(access.command.hasPrefix("delete") ? "deleted" : "disabled")"
            )
        }
    }

    /// Locks or disables an account (disableAccount's job): disabling also stops its running VMs.
    /// - Parameters:
    ///   - account: the account, checked with ``refuseProtected(_:_:)``.
    ///   - lock: only lock it.
    /// - Returns: the account in its new state.
    /// - Throws: ``StoreError``, ``OrchestratorError``.
    public func disable(_ account: Account, lock: Bool) async throws -> Account {
        var account = account
        account.state = lock ? "locked" : "disabled"
        try await self.store.replace(account, id: account.id)
        if !lock {
            let running = try await self.store.list(
                VirtualMachine.self,
                ListQuery(equals: [("account_id", account.id), ("state", "Running")])
            )
            for vm in running.items { _ = try await self.services.virtualMachines.stop(id: vm.id, forced: false) }
        }
        return account
    }

    /// Enables an account.
    /// - Returns: the account in its new state.
    /// - Throws: ``StoreError``.
    public func enable(_ account: Account) async throws -> Account {
        var account = account
        account.state = "enabled"
        try await self.store.replace(account, id: account.id)
        return account
    }

    /// Deletes an account with everything it owns (deleteAccount's job, ``AccountCleanup``).
    /// - Throws: ``StoreError``, ``OrchestratorError``.
    public func delete(_ account: Account) async throws {
        try await AccountCleanup.remove(account, server: self.services)
    }

    /// The users and domains of a page of accounts, for rendering: one query per table.
    /// - Returns: the users by account UUID, the domains by UUID.
    /// - Throws: ``StoreError``.
    public func members(
        of accounts: [Account]
    ) async throws -> (users: [String: [User]], domains: [String: Domain]) {
        guard !accounts.isEmpty else { return ([:], [:]) }
        var userQuery = ListQuery(idIn: accounts.map(\.id))
        userQuery.inColumn = "account_id"
        let users = Dictionary(grouping: try await self.store.list(User.self, userQuery).items, by: \.accountId)
        return (users, try await self.services.domains(of: accounts))
    }
}

extension CloudServices {
    /// Accounts.
    public var accounts: AccountService { AccountService(services: self) }
}
