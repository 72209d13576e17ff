import CloudModel
import CloudStore

/// Who is asking and what they may reach (CloudStack's `AccountManager.checkAccess`): the root admin everything, a
/// domain admin the accounts of its domain subtree, a user its own account, and anyone the projects it is a member
/// of. Every operation of the core that acts for a caller takes one.
///
/// ```swift
/// let access = Access(caller: caller, command: "deleteSSHKeyPair", services: services)
/// let owner = try await access.targetAccount(OwnerRequest(account: "alice", domainId: nil, projectId: nil))
/// ```
public struct Access: Sendable {
    /// The caller.
    public let caller: Caller
    /// The operation's API name, which error texts name as CloudStack's do.
    public let command: String
    /// The core the checks read.
    public let services: CloudServices

    /// Creates the access of a caller to one operation.
    /// - Parameters:
    ///   - caller: who is asking.
    ///   - command: the operation's API name.
    ///   - services: the core.
    public init(caller: Caller, command: String, services: CloudServices) {
        self.caller = caller
        self.command = command
        self.services = services
    }

    var store: CloudStore { self.services.store }

    /// 531 with CloudStack's permission-denied code.
    public static func permissionDenied(_ text: String) -> CloudError {
        CloudError(.accountError, csErrorCode: 4365, text)
    }

    /// 431 for an id that names nothing, naming the parameter it came in.
    public func unknown(_ parameter: String, _ value: String) -> CloudError {
        CloudError.invalidParameter(self.command, parameter, value)
    }

    /// The caller's domain.
    /// - Throws: ``StoreError``; 530 when the caller's domain is missing.
    public func callerDomain() async throws -> Domain {
        guard let domain = try await self.store.get(Domain.self, id: self.caller.account.domainId) else {
            throw CloudError(.internalError, "the caller's domain is missing")
        }
        return domain
    }

    /// Whether the caller may see and act on `domain`: the root admin any, a domain admin its subtree, a user
    /// only its own domain (for listing its own resources).
    public func mayAccess(domain: Domain) async throws -> Bool {
        switch self.caller.role {
        case .rootAdmin: return true
        case .domainAdmin: return try await self.callerDomain().contains(domain)
        case .user: return domain.id == self.caller.account.domainId
        }
    }

    /// Whether the caller may see and act on resources of `account`: also a project's account when the caller is
    /// a member of the project.
    public func mayAccess(account: Account) async throws -> Bool {
        switch self.caller.role {
        case .rootAdmin: return true
        case .user:
            if account.id == self.caller.account.id { return true }
        case .domainAdmin:
            guard account.id != self.caller.account.id else { return true }
            guard let domain = try await self.store.get(Domain.self, id: account.domainId) else { return false }
            if try await self.callerDomain().contains(domain) { return true }
        }
        guard Project.isProjectAccountName(account.name) else { return false }
        return try await self.store.isMember(ofProjectAccount: account.id, memberId: self.caller.account.id)
    }

    /// Whether the caller may see and act on resources owned by the account with this UUID.
    public func mayAccess(accountId: String) async throws -> Bool {
        if accountId == self.caller.account.id { return true }
        guard let account = try await self.store.get(Account.self, id: accountId) else {
            return self.caller.role == .rootAdmin
        }
        return try await self.mayAccess(account: account)
    }

    /// The domain with this UUID, checked for access.
    /// - Parameters:
    ///   - id: the domain's UUID.
    ///   - parameter: the parameter it came in, for the error text.
    /// - Throws: 431 when unknown, 531 when out of the caller's reach.
    public func domain(id: String, parameter: String = "domainid") async throws -> Domain {
        guard let domain = try await self.store.get(Domain.self, id: id) else { throw self.unknown(parameter, id) }
        guard try await self.mayAccess(domain: domain) else {
            throw Self.permissionDenied(
                "Account \(self.caller.account.name) does not have permission to access domain \(domain.id)"
            )
        }
        return domain
    }

    /// The account named `name` in the domain `domainId` (default: the caller's domain), checked for access.
    /// - Throws: 431 when there is no such account, 531 when it is out of the caller's reach.
    public func namedAccount(_ name: String, domainId: String?) async throws -> Account {
        let domain: Domain
        if let domainId {
            domain = try await self.domain(id: domainId)
        } else {
            domain = try await self.callerDomain()
        }
        let found = try await self.store.list(
            Account.self,
            ListQuery(equals: [("domain_id", domain.id), ("name", name)])
        )
        guard let account = found.items.first else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Unable to find account \(name) in domain \(domain.displayPath)"
            )
        }
        guard try await self.mayAccess(account: account) else {
            throw Self.permissionDenied(
                "Account \(self.caller.account.name) does not have permission to access account \(name)"
            )
        }
        return account
    }

    /// The account a create acts for: a project's account with `projectId`, `account` (+ `domainId`) when an admin
    /// names one, else the caller's.
    /// - Throws: 431/531 as ``namedAccount(_:domainId:)`` and ``project(id:parameter:)``.
    public func targetAccount(_ owner: OwnerRequest) async throws -> Account {
        if let projectId = owner.projectId {
            if owner.account != nil {
                throw CloudError(
                    .paramError,
                    csErrorCode: 4350,
                    "ProjectId and account/domainId can't be specified together"
                )
            }
            let project = try await self.project(id: projectId)
            guard project.state == "Active" else {
                throw Self.permissionDenied("Project \(project.name) is not active: \(project.state)")
            }
            guard let account = try await self.store.get(Account.self, id: project.accountId) else {
                throw CloudError(.internalError, "the project's account is missing")
            }
            return account
        }
        guard let name = owner.account else { return self.caller.account }
        return try await self.namedAccount(name, domainId: owner.domainId)
    }

    /// The project with this UUID, checked for use: the root admin any, a domain admin those of its domain
    /// subtree, anyone those it is a member of.
    /// - Throws: 431 when unknown, 531 out of reach.
    public func project(id: String, parameter: String = "projectid") async throws -> Project {
        guard let project = try await self.store.get(Project.self, id: id) else { throw self.unknown(parameter, id) }
        switch self.caller.role {
        case .rootAdmin:
            return project
        case .domainAdmin:
            if let domain = try await self.store.get(Domain.self, id: project.domainId),
                try await self.callerDomain().contains(domain)
            {
                return project
            }
        case .user:
            break
        }
        guard try await self.store.isProjectMember(projectId: project.id, accountId: self.caller.account.id)
        else {
            throw Self.permissionDenied(
                "Account \(self.caller.account.name) does not have permission to access project \(project.id)"
            )
        }
        return project
    }
}

/// Whom a create acts for: CloudStack's `account` + `domainid`, or `projectid`; all nil for the caller itself.
public struct OwnerRequest: Sendable, Hashable {
    /// An account's name (with ``domainId``, else in the caller's domain).
    public var account: String?
    /// The account's domain.
    public var domainId: String?
    /// A project, whose account owns what is created.
    public var projectId: String?

    /// Creates an owner request.
    public init(account: String? = nil, domainId: String? = nil, projectId: String? = nil) {
        self.account = account
        self.domainId = domainId
        self.projectId = projectId
    }
}
