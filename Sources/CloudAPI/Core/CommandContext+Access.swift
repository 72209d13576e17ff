import CloudCore
import CloudModel

/// The caller's reach, read from the request's parameters (the rules are the core's ``Access``).
extension CommandContext {
    /// 531 with CloudStack's permission-denied code.
    static func permissionDenied(_ text: String) -> CloudError { Access.permissionDenied(text) }

    /// The caller's domain.
    public func callerDomain() async throws -> Domain { try await self.access.callerDomain() }

    /// Whether the caller may see and act on `domain`.
    public func mayAccess(domain: Domain) async throws -> Bool { try await self.access.mayAccess(domain: domain) }

    /// Whether the caller may see and act on resources of `account`.
    public func mayAccess(account: Account) async throws -> Bool { try await self.access.mayAccess(account: account) }

    /// Whether the caller may see and act on resources owned by the account with this UUID.
    public func mayAccess(accountId: String) async throws -> Bool {
        try await self.access.mayAccess(accountId: accountId)
    }

    /// Loads the domain named by a UUID parameter and checks the caller may access it.
    /// - Throws: 431 when absent or unknown, 531 when out of the caller's reach.
    public func accessibleDomain(_ parameter: String = "domainid") async throws -> Domain {
        try await self.access.domain(id: try self.required(parameter), parameter: parameter)
    }

    /// The account named by `account` in `domainid` (default: the caller's domain), checked for access.
    public func namedAccount(_ name: String) async throws -> Account {
        try await self.access.namedAccount(name, domainId: self.string("domainid"))
    }

    /// The account a create acts for (``Access/targetAccount(_:)``).
    public func targetAccount() async throws -> Account { try await self.access.targetAccount(self.owner) }

    /// Loads the project named by a UUID parameter, checking the caller may use it.
    public func accessibleProject(_ parameter: String = "projectid") async throws -> Project {
        try await self.access.project(id: try self.required(parameter), parameter: parameter)
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
