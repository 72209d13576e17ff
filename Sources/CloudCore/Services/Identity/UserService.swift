import CloudModel
import CloudStore
import Foundation

/// Users (CloudStack's `AccountManager` user operations): list, create, update, delete, disable/enable, and their
/// API keys.
public struct UserService: Sendable {
    let services: CloudServices
    var store: CloudStore { self.services.store }

    /// A new user's fields (createUser, createAccount).
    public struct NewUser: Sendable {
        /// The login name, unique in the domain.
        public var username: String
        /// The clear text password (stored hashed).
        public var password: String
        /// The e-mail address.
        public var email: String
        /// The first name.
        public var firstname: String
        /// The last name.
        public var lastname: String

        /// Creates the fields.
        public init(username: String, password: String, email: String, firstname: String, lastname: String) {
            self.username = username
            self.password = password
            self.email = email
            self.firstname = firstname
            self.lastname = lastname
        }

        func user(accountId: String, domainId: String, created: Double) -> User {
            User(
                id: UUID().uuidString.lowercased(),
                accountId: accountId,
                domainId: domainId,
                username: self.username,
                passwordHash: PasswordHasher.hash(self.password),
                firstname: self.firstname,
                lastname: self.lastname,
                email: self.email,
                created: created
            )
        }
    }

    /// What updateUser changes; nil fields stay.
    public struct Changes: Sendable {
        /// The e-mail address.
        public var email: String?
        /// The first name.
        public var firstname: String?
        /// The last name.
        public var lastname: String?
        /// The login name.
        public var username: String?
        /// The new password.
        public var password: String?
        /// The current password, which a user changing its own password must give.
        public var currentPassword: String?

        /// Creates the changes.
        public init(
            email: String?,
            firstname: String?,
            lastname: String?,
            username: String?,
            password: String?,
            currentPassword: String?
        ) {
            self.email = email
            self.firstname = firstname
            self.lastname = lastname
            self.username = username
            self.password = password
            self.currentPassword = currentPassword
        }
    }

    /// A page of users with their accounts and the accounts' domains.
    public struct Listing: Sendable {
        /// The users.
        public var page: ListPage<User>
        /// Their accounts, by UUID.
        public var accounts: [String: Account]
        /// The accounts' domains, by UUID.
        public var domains: [String: Domain]
    }

    /// CloudStack's answer to a login name taken in the domain.
    public static func duplicate(_ username: String) -> CloudError {
        CloudError(.paramError, csErrorCode: 4350, "The user \(username) already exists in this domain")
    }

    /// The users the caller may see: a user itself, an admin those of the accounts ``AccountService`` lists.
    /// - Parameters:
    ///   - access: the caller's access.
    ///   - request: paging and scope; `name` and `keyword` match the username.
    ///   - username: a login name (wins over the request's `name`).
    ///   - state: a state (case-insensitive).
    ///   - accountType: the account type (the role's number).
    /// - Throws: 431 for bad paging or unknown names, 531 out of reach.
    public func list(
        _ access: Access,
        _ request: ListRequest,
        username: String?,
        state: String?,
        accountType: Int?
    ) async throws -> Listing {
        var query = try await AccountService.query(access, request, column: "account_id")
        // Users have no `name`: `name` and `keyword` match the username.
        query.equals.removeAll { $0.column == "name" }
        query.keyword = nil
        if let name = username ?? request.name { query.equals.append(("username", name)) }
        if let state { query.equals.append(("state", state.lowercased())) }
        if access.caller.role == .user { query.equals.append(("id", access.caller.user.id)) }
        var page = try await self.store.list(User.self, query)
        if let keyword = request.keyword?.lowercased() {
            page.items = page.items.filter { $0.username.lowercased().contains(keyword) }
            page.total = page.items.count
        }
        var accounts: [String: Account] = [:]
        for accountId in Set(page.items.map(\.accountId)) {
            accounts[accountId] = try await self.store.get(Account.self, id: accountId)
        }
        if let accountType {
            page.items = page.items.filter { accounts[$0.accountId]?.role.rawValue == accountType }
            page.total = page.items.count
        }
        let domains = try await self.services.domains(of: Array(accounts.values))
        return Listing(page: page, accounts: accounts, domains: domains)
    }

    /// Creates a user in an existing account.
    /// - Parameters:
    ///   - access: the caller's access.
    ///   - account: the account's name.
    ///   - domainId: the account's domain (default: the caller's).
    ///   - new: the user's fields.
    /// - Throws: 431 for an unknown account or a login name taken, 531 out of reach.
    public func create(_ access: Access, account: String, domainId: String?, _ new: NewUser) async throws -> User {
        let account = try await access.namedAccount(account, domainId: domainId)
        let user = new.user(accountId: account.id, domainId: account.domainId, created: self.services.clock.now)
        try await self.insert(user)
        return user
    }

    /// Inserts a new user, refusing (431) a login name its domain already has.
    func insert(_ user: User) async throws {
        if try await self.store.user(named: user.username, domainId: user.domainId) != nil {
            throw Self.duplicate(user.username)
        }
        do {
            try await self.store.insert(user)
        } catch {
            guard error.kind == .duplicate else { throw error }
            throw Self.duplicate(user.username)
        }
    }

    /// The user with this UUID, refusing users out of the caller's reach: a user reaches itself, a domain admin
    /// the users of its domain subtree, the root admin all.
    /// - Throws: 431 when unknown, 531 out of reach.
    public func reachable(_ access: Access, id: String) async throws -> User {
        guard let user = try await self.store.get(User.self, id: id) else { throw access.unknown("id", id) }
        let reachable =
            access.caller.role == .user
            ? user.id == access.caller.user.id : try await access.mayAccess(accountId: user.accountId)
        guard reachable else {
            throw Access.permissionDenied(
                "Account \(access.caller.account.name) does not have permission to operate on user \(user.id)"
            )
        }
        return user
    }

    /// Refuses acting on oneself where that would lock the caller out (delete, disable).
    /// - Throws: 431.
    public func refuseSelf(_ access: Access, _ user: User) throws(CloudError) {
        if user.id == access.caller.user.id {
            throw CloudError(.paramError, csErrorCode: 4350, "The caller cannot \(access.command.prefix(6)) itself")
        }
    }

    /// Updates a user; a user changing its own password must give the current one.
    /// - Throws: 431 for an unknown user, a login name taken or a wrong current password; 531 out of reach.
    public func update(_ access: Access, id: String, _ changes: Changes) async throws -> User {
        var user = try await self.reachable(access, id: id)
        if let email = changes.email { user.email = email }
        if let first = changes.firstname { user.firstname = first }
        if let last = changes.lastname { user.lastname = last }
        if let username = changes.username, username != user.username {
            if try await self.store.user(named: username, domainId: user.domainId) != nil {
                throw Self.duplicate(username)
            }
            user.username = username
        }
        if let password = changes.password {
            if access.caller.role == .user {
                guard let current = changes.currentPassword,
                    PasswordHasher.verify(current, against: user.passwordHash)
                else {
                    throw CloudError(.paramError, csErrorCode: 4350, "Current password is incorrect")
                }
            }
            user.passwordHash = PasswordHasher.hash(password)
        }
        try await self.store.replace(user, id: user.id)
        return user
    }

    /// Deletes a user (not the caller itself).
    /// - Throws: 431 for an unknown user or the caller; 531 out of reach.
    public func delete(_ access: Access, id: String) async throws {
        let user = try await self.reachable(access, id: id)
        try self.refuseSelf(access, user)
        try await self.store.deleteUser(id: user.id)
    }

    /// Disables a user (disableUser's job).
    /// - Parameter user: the user, from ``reachable(_:id:)`` and ``refuseSelf(_:_:)``.
    /// - Returns: the user in its new state.
    /// - Throws: ``StoreError``.
    public func disable(_ user: User) async throws -> User {
        var user = user
        user.state = "disabled"
        try await self.store.replace(user, id: user.id)
        return user
    }

    /// Enables a user; the failed logins that disabled it no longer count (as CloudStack's enableUser).
    /// - Throws: 431 for an unknown user; 531 out of reach.
    public func enable(_ access: Access, id: String) async throws -> User {
        var user = try await self.reachable(access, id: id)
        user.state = "enabled"
        try await self.store.replace(user, id: user.id)
        try await self.store.resetLoginAttempts(userId: user.id)
        return user
    }

    /// A user's API key and secret key (opened), when it has them.
    /// - Throws: 431 for an unknown user; 531 out of reach; ``SecretKeyCipherError``.
    public func keys(_ access: Access, id: String) async throws -> (apiKey: String?, secretKey: String?) {
        let user = try await self.reachable(access, id: id)
        return (user.apiKey, try user.secretKey.map { try self.services.secrets.open($0) })
    }

    /// Generates a user's API key and secret key (stored sealed), replacing any it had.
    /// - Returns: the keys.
    /// - Throws: 431 for an unknown user; 531 out of reach.
    public func registerKeys(_ access: Access, id: String) async throws -> (apiKey: String, secretKey: String) {
        let user = try await self.reachable(access, id: id)
        let apiKey = PasswordHasher.randomToken(bytes: 64)
        let secretKey = PasswordHasher.randomToken(bytes: 64)
        try await self.store.setKeys(
            userId: user.id,
            apiKey: apiKey,
            secretKey: try self.services.secrets.seal(secretKey)
        )
        return (apiKey, secretKey)
    }

    /// The user holding an API key (getUser; CloudStack lets root admins only call it).
    /// - Throws: 431 naming `userapikey` when no user has the key.
    public func user(_ access: Access, apiKey: String) async throws -> User {
        guard let user = try await self.store.user(apiKey: apiKey) else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Unable to execute API command \(access.command.lowercased()) due to invalid value. "
                    + "User with specified API key (parameter userapikey) does not exist"
            )
        }
        return user
    }

    /// A user's account and its domain, for rendering.
    /// - Throws: 530 when the account is missing; ``StoreError``.
    public func owner(of user: User) async throws -> (account: Account, domain: Domain?) {
        guard let account = try await self.store.get(Account.self, id: user.accountId) else {
            throw CloudError(.internalError, "the user's account is missing")
        }
        return (account, try await self.store.get(Domain.self, id: account.domainId))
    }
}

extension CloudServices {
    /// Users.
    public var users: UserService { UserService(services: self) }
}
