import CloudModel
import CloudStore
import Foundation

/// The domain hierarchy (CloudStack's `DomainManager`): create, list, list children, rename, delete.
public struct DomainService: Sendable {
    let services: CloudServices
    var store: CloudStore { self.services.store }

    /// Filters of listDomains and listDomainChildren besides the request's `name`, `keyword` and `id`.
    public struct Filters: Sendable {
        /// A level (ROOT is 0).
        public var level: Int?

        /// Creates filters.
        public init(level: Int?) {
            self.level = level
        }
    }

    /// The domains the caller lists (CloudStack's searchForDomains): without `listAll`, an id, a name, a keyword or
    /// a level, only its own domain; else its domain's subtree, filtered.
    /// - Throws: 431 for bad paging.
    public func list(_ access: Access, _ request: ListRequest, _ filters: Filters) async throws -> ListPage<Domain> {
        let own = try await access.callerDomain()
        if request.listAll || request.id != nil || request.name != nil || request.keyword != nil
            || filters.level != nil
        {
            return try Self.page(try await self.subtree(own), access, request, filters)
        }
        return try Self.page([own], access, request, filters)
    }

    /// The domains below `id` (default: the caller's domain): its children, or with `isRecursive`/`listAll` its
    /// whole subtree.
    /// - Throws: 431 for an unknown domain or bad paging, 531 out of reach.
    public func children(
        _ access: Access,
        id: String?,
        _ request: ListRequest,
        _ filters: Filters
    ) async throws -> ListPage<Domain> {
        let domain: Domain
        if let id {
            domain = try await access.domain(id: id, parameter: "id")
        } else {
            domain = try await access.callerDomain()
        }
        let below = try await self.subtree(domain).filter { $0.id != domain.id }
        let recursive = request.isRecursive || request.listAll
        let found = recursive ? below : below.filter { $0.parentId == domain.id }
        return try Self.page(found, access, request, filters, filterById: false)
    }

    /// Creates a domain.
    /// - Parameters:
    ///   - access: the caller's access.
    ///   - name: its name (no `/`, not blank).
    ///   - parentId: the parent (default: the caller's domain).
    ///   - id: its UUID (from another region), else a new one.
    /// - Returns: the domain and its parent.
    /// - Throws: 431 for a bad name or id, an unknown parent or a name taken; 531 for a parent out of reach.
    public func create(
        _ access: Access,
        name: String,
        parentId: String?,
        id: String?
    ) async throws -> (domain: Domain, parent: Domain) {
        try Self.validate(name, access)
        let parent: Domain
        if let parentId {
            parent = try await access.domain(id: parentId, parameter: "parentdomainid")
        } else {
            parent = try await access.callerDomain()
        }
        let id = id?.lowercased() ?? UUID().uuidString.lowercased()
        guard UUIDText.isValid(id) else { throw CloudError.invalidParameter(access.command, "domainid", id) }
        let domain = Domain(id: id, name: name, path: parent.childPath(name), parentId: parent.id)
        try await self.services.insert(
            domain,
            duplicate: "Domain with name \(name) already exists for the parent id=\(parent.id)"
        )
        return (domain, parent)
    }

    /// Renames a domain (not ROOT).
    /// - Parameters:
    ///   - access: the caller's access.
    ///   - id: the domain's UUID.
    ///   - name: the new name; nil or the same name changes nothing.
    /// - Throws: 431 for an unknown domain, ROOT, a bad name or a name taken; 531 out of reach.
    public func rename(_ access: Access, id: String, to name: String?) async throws -> Domain {
        var domain = try await access.domain(id: id, parameter: "id")
        guard let name, name != domain.name else { return domain }
        guard domain.parentId != nil else {
            throw CloudError(.paramError, csErrorCode: 4350, "Can't update ROOT domain name")
        }
        try Self.validate(name, access)
        do {
            domain = try await self.store.renameDomain(domain, to: name)
        } catch {
            guard error.kind == .duplicate else { throw error }
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Domain with name \(name) already exists for the parent id=\(domain.parentId ?? "")"
            )
        }
        return domain
    }

    /// Checks a domain can be deleted: not ROOT nor the caller's, and empty unless `cleanup`.
    /// - Returns: the domain; delete it with ``delete(_:)``.
    /// - Throws: 431 for an unknown or protected domain, 536 when not empty, 531 out of reach.
    public func prepareDelete(_ access: Access, id: String, cleanup: Bool) async throws -> Domain {
        let domain = try await access.domain(id: id, parameter: "id")
        guard domain.parentId != nil, domain.id != access.caller.account.domainId else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Can't delete the domain \(domain.displayPath): it is the caller's domain or ROOT"
            )
        }
        let accounts = try await self.store.list(
            Account.self,
            ListQuery(equals: [("domain_id", domain.id)], pageSize: 1)
        )
        let children = try await self.store.list(
            Domain.self,
            ListQuery(equals: [("parent_id", domain.id)], pageSize: 1)
        )
        if !cleanup && (accounts.total > 0 || children.total > 0) {
            throw CloudError(
                CloudError.Code(rawValue: 536),
                csErrorCode: 4250,
                "Cannot delete domain \(domain.displayPath): it still has accounts or child domains; use cleanup=true"
            )
        }
        return domain
    }

    /// Deletes a domain with its subdomains and accounts (deleteDomain's job, ``AccountCleanup``).
    /// - Throws: ``StoreError``, ``OrchestratorError``.
    public func delete(_ domain: Domain) async throws {
        try await AccountCleanup.remove(domain, server: self.services)
    }

    /// The parents of `domains` and which of them have children, for rendering (two queries).
    /// - Returns: the parents by UUID, and the UUIDs of the domains with children.
    /// - Throws: ``StoreError``.
    public func families(
        of domains: [Domain]
    ) async throws -> (parents: [String: Domain], withChildren: Set<String>) {
        guard !domains.isEmpty else { return ([:], []) }
        let parentIds = Array(Set(domains.compactMap(\.parentId)))
        let parents = try await self.store.list(Domain.self, ListQuery(idIn: parentIds)).items
        var childQuery = ListQuery(idIn: domains.map(\.id))
        childQuery.inColumn = "parent_id"
        let withChildren = Set(try await self.store.list(Domain.self, childQuery).items.compactMap(\.parentId))
        return (Dictionary(parents.map { ($0.id, $0) }) { first, _ in first }, withChildren)
    }

    /// The domain and its subtree.
    func subtree(_ domain: Domain) async throws -> [Domain] {
        try await self.store.list(
            Domain.self,
            ListQuery(domainScope: DomainScope(column: .domain("id"), path: domain.path, recursive: true))
        ).items
    }

    /// Filters and pages a fetched set of domains (domain trees are small: filtering happens here).
    static func page(
        _ domains: [Domain],
        _ access: Access,
        _ request: ListRequest,
        _ filters: Filters,
        filterById: Bool = true
    ) throws(CloudError) -> ListPage<Domain> {
        var matches = domains
        // Names compare without case, as CloudStack's SQL compares them.
        if let name = request.name?.lowercased() { matches = matches.filter { $0.name.lowercased() == name } }
        if let keyword = request.keyword?.lowercased() {
            matches = matches.filter { $0.name.lowercased().contains(keyword) }
        }
        if let level = filters.level { matches = matches.filter { $0.level == level } }
        if filterById, let id = request.id { matches = matches.filter { $0.id == id } }
        matches.sort { $0.path < $1.path }
        return try access.pageInMemory(matches, request)
    }

    /// Refuses names with `/` or blank ones (431).
    static func validate(_ name: String, _ access: Access) throws(CloudError) {
        guard !name.contains("/"), !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw CloudError.invalidParameter(access.command, "name", name)
        }
    }

}

extension CloudServices {
    /// The domain hierarchy.
    public var domainTree: DomainService { DomainService(services: self) }
}
