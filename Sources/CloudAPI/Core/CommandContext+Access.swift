import CloudModel
import CloudStore

/// Who may see and act on what (CloudStack's `AccountManager.checkAccess` and `buildACLSearchParameters`):
/// the root admin everything, a domain admin the accounts of its domain subtree, a user its own account.
extension CommandContext {
    /// 531 with CloudStack's permission-denied code.
    static func permissionDenied(_ text: String) -> CloudAPIError {
        CloudAPIError(.accountError, csErrorCode: 4365, text)
    }

    /// The caller's domain.
    /// - Throws: ``StoreError``; 530 when the caller's domain is missing.
    public func callerDomain() async throws -> Domain {
        guard let domain = try await self.server.store.get(Domain.self, id: self.caller.account.domainId) else {
            throw CloudAPIError(.internalError, "the caller's domain is missing")
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
            guard let domain = try await self.server.store.get(Domain.self, id: account.domainId) else { return false }
            if try await self.callerDomain().contains(domain) { return true }
        }
        guard Project.isProjectAccountName(account.name) else { return false }
        return try await self.server.store.isMember(ofProjectAccount: account.id, memberId: self.caller.account.id)
    }

    /// Whether the caller may see and act on resources owned by the account with this UUID.
    public func mayAccess(accountId: String) async throws -> Bool {
        if accountId == self.caller.account.id { return true }
        guard let account = try await self.server.store.get(Account.self, id: accountId) else {
            return self.caller.role == .rootAdmin
        }
        return try await self.mayAccess(account: account)
    }

    /// Loads the domain named by a UUID parameter and checks the caller may access it.
    /// - Throws: 431 when unknown, 531 when out of the caller's reach.
    public func accessibleDomain(_ parameter: String = "domainid") async throws -> Domain {
        let domain = try await self.entity(Domain.self, parameter)
        guard try await self.mayAccess(domain: domain) else {
            throw Self.permissionDenied(
                "Account \(self.caller.account.name) does not have permission to access domain \(domain.id)"
            )
        }
        return domain
    }

    /// The account named by `account` in `domainid` (default: the caller's domain), checked for access.
    /// - Throws: 431 when there is no such account, 531 when it is out of the caller's reach.
    public func namedAccount(_ name: String) async throws -> Account {
        let domain = self.string("domainid") == nil ? try await self.callerDomain() : try await self.accessibleDomain()
        let found = try await self.server.store.list(
            Account.self,
            ListQuery(equals: [("domain_id", domain.id), ("name", name)])
        )
        guard let account = found.items.first else {
            throw CloudAPIError(
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

    /// The account a create acts for: a project's account with `projectid`, `account` (+ `domainid`) when an admin
    /// names one, else the caller's.
    /// - Throws: 431/531 as ``namedAccount(_:)`` and ``accessibleProject(_:)``.
    public func targetAccount() async throws -> Account {
        if self.string("projectid") != nil {
            if self.string("account") != nil {
                throw CloudAPIError(
                    .paramError,
                    csErrorCode: 4350,
                    "ProjectId and account/domainId can't be specified together"
                )
            }
            let project = try await self.accessibleProject()
            guard project.state == "Active" else {
                throw Self.permissionDenied("Project \(project.name) is not active: \(project.state)")
            }
            guard let account = try await self.server.store.get(Account.self, id: project.accountId) else {
                throw CloudAPIError(.internalError, "the project's account is missing")
            }
            return account
        }
        guard let name = self.string("account") else { return self.caller.account }
        return try await self.namedAccount(name)
    }

    /// Loads the project named by a UUID parameter, checking the caller may use it: the root admin any, a domain
    /// admin those of its domain subtree, anyone those it is a member of.
    /// - Throws: 431 when unknown, 531 out of reach.
    public func accessibleProject(_ parameter: String = "projectid") async throws -> Project {
        let project = try await self.entity(Project.self, parameter)
        switch self.caller.role {
        case .rootAdmin:
            return project
        case .domainAdmin:
            if let domain = try await self.server.store.get(Domain.self, id: project.domainId),
                try await self.callerDomain().contains(domain)
            {
                return project
            }
        case .user:
            break
        }
        guard try await self.server.store.isProjectMember(projectId: project.id, accountId: self.caller.account.id)
        else {
            throw Self.permissionDenied(
                "Account \(self.caller.account.name) does not have permission to access project \(project.id)"
            )
        }
        return project
    }

    /// The list query of a list command over rows owned through `column` (an account UUID): paging and
    /// filters as ``listQuery(_:)``, restricted to what the caller may see, narrowed by `account`, `domainid`,
    /// `isrecursive` and `listall`.
    /// - Without any of them, every caller sees its own account's rows; `listall=true` widens this to the root
    ///   admin's whole cloud and a domain admin's subtree; an admin asking for one `id` finds it in its reach.
    /// - `domainid` lists that domain's accounts (with `isrecursive`/`listall`, its subtree); `account` one account.
    /// - Throws: 431 for bad paging or unknown names, 531 out of reach.
    public func scopedListQuery(
        _ equals: [(column: String, value: String)] = [],
        column: String = "account_id"
    ) async throws -> ListQuery {
        var query = try self.listQuery(equals)
        if let projectId = self.string("projectid") {
            if projectId == "-1" {
                switch self.caller.role {
                case .rootAdmin:
                    query.projects = .only(column: column, memberId: nil)
                case .domainAdmin:
                    query.projects = .only(column: column, memberId: nil)
                    query.domainScope = DomainScope(
                        column: .account(column),
                        path: try await self.callerDomain().path,
                        recursive: true
                    )
                case .user:
                    query.projects = .only(column: column, memberId: self.caller.account.id)
                }
            } else {
                query.equals.append((column, try await self.accessibleProject().accountId))
            }
            return query
        }
        if let name = self.string("account") {
            query.equals.append((column, try await self.namedAccount(name).id))
            return query
        }
        let recursive = self.bool("isrecursive") || self.bool("listall")
        if self.string("domainid") != nil {
            let domain = try await self.accessibleDomain()
            if self.caller.role == .user {
                query.equals.append((column, self.caller.account.id))
            } else {
                query.domainScope = DomainScope(column: .account(column), path: domain.path, recursive: recursive)
                query.projects = .exclude(column: column)
            }
            return query
        }
        let widen = self.bool("listall") || self.string("id") != nil
        switch self.caller.role {
        case .rootAdmin where widen:
            // Without `projectid`, wide lists leave projects' resources out (CloudStack's SkipProjectResources);
            // one asked for by id is still found.
            if self.string("id") == nil { query.projects = .exclude(column: column) }
        case .domainAdmin where widen:
            query.domainScope = DomainScope(
                column: .account(column),
                path: try await self.callerDomain().path,
                recursive: true
            )
            if self.string("id") == nil { query.projects = .exclude(column: column) }
        default:
            query.equals.append((column, self.caller.account.id))
        }
        return query
    }
}

extension ListParameters {
    /// The ownership parameters of lists that honour domains.
    static let scope: [ParameterDescriptor] = [
        ParameterDescriptor("account", .string, "list resources by account; must be used with domainId"),
        ParameterDescriptor("domainid", .uuid, "list only resources belonging to the domain specified"),
        ParameterDescriptor("isrecursive", .boolean, "also the domain's subdomains"),
        ParameterDescriptor("projectid", .string, "list objects by project; -1 for every project the caller may see"),
    ]
}
