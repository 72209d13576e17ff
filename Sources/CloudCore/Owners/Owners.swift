import CloudModel
import CloudStore

/// The owners of a page of rows, loaded in a few queries: their accounts, the accounts' domains, and the projects
/// behind project accounts (a resource a project owns answers with its project, CloudStack's `populateOwner`).
public struct Owners: Sendable {
    /// Accounts by UUID.
    public var accounts: [String: Account]
    /// Domains by UUID.
    public var domains: [String: Domain]
    /// Projects by their project account's UUID.
    public var projects: [String: Project]

    /// Creates a set of owners.
    public init(
        accounts: [String: Account] = [:],
        domains: [String: Domain] = [:],
        projects: [String: Project] = [:]
    ) {
        self.accounts = accounts
        self.domains = domains
        self.projects = projects
    }
}

extension CloudServices {
    /// The owners of rows owned by these accounts (nil entries are skipped).
    /// - Parameter accountIds: the rows' account UUIDs.
    /// - Returns: the accounts, their domains and projects.
    /// - Throws: ``StoreError``.
    public func owners(of accountIds: [String?]) async throws -> Owners {
        let ids = Array(Set(accountIds.compactMap { $0 }))
        guard !ids.isEmpty else { return Owners() }
        let accounts = try await self.store.list(Account.self, ListQuery(idIn: ids)).items
        return Owners(
            accounts: Dictionary(accounts.map { ($0.id, $0) }) { first, _ in first },
            domains: try await self.domains(of: accounts),
            projects: try await self.projects(behind: accounts)
        )
    }

    /// The domains of `accounts`, by UUID.
    /// - Throws: ``StoreError``.
    public func domains(of accounts: some Sequence<Account>) async throws -> [String: Domain] {
        let ids = Array(Set(accounts.map(\.domainId)))
        guard !ids.isEmpty else { return [:] }
        let domains = try await self.store.list(Domain.self, ListQuery(idIn: ids)).items
        return Dictionary(domains.map { ($0.id, $0) }) { first, _ in first }
    }

    /// The projects among `accounts`, by project account UUID (no query unless an account has a project account's
    /// name).
    /// - Throws: ``StoreError``.
    public func projects(behind accounts: some Sequence<Account>) async throws -> [String: Project] {
        let candidates = accounts.filter { Project.isProjectAccountName($0.name) }.map(\.id)
        guard !candidates.isEmpty else { return [:] }
        return try await self.store.projects(ofAccounts: candidates)
    }
}
