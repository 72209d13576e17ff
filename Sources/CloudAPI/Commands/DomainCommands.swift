import CloudCore
import CloudModel
import CloudStore
import Foundation

/// The domain hierarchy: createDomain, listDomains, listDomainChildren, updateDomain, deleteDomain.
enum DomainCommands {
    static var all: [CommandDescriptor] {
        [createDomain, listDomains, listDomainChildren, updateDomain, deleteDomain]
    }

    static let admins: Set<Role> = [.rootAdmin, .domainAdmin]

    /// The `domain` response object (DomainResponse).
    static func domain(_ domain: Domain, parent: Domain?, hasChild: Bool) -> APIValue {
        var fields: [(String, APIValue)] = [
            ("id", .string(domain.id)), ("name", .string(domain.name)), ("level", .int(domain.level)),
        ]
        if let parent {
            fields += [("parentdomainid", .string(parent.id)), ("parentdomainname", .string(parent.name))]
        }
        fields += [
            ("haschild", .bool(hasChild)), ("path", .string(domain.displayPath)), ("state", .string("Active")),
        ]
        return .object(fields)
    }

    /// Renders domains with their parents and whether they have children (two queries for the page).
    static func render(_ domains: [Domain], store: CloudStore) async throws -> [APIValue] {
        guard !domains.isEmpty else { return [] }
        let parentIds = Array(Set(domains.compactMap(\.parentId)))
        let parents = try await store.list(Domain.self, ListQuery(idIn: parentIds)).items
        var childQuery = ListQuery(idIn: domains.map(\.id))
        childQuery.inColumn = "parent_id"
        let withChildren = Set(try await store.list(Domain.self, childQuery).items.compactMap(\.parentId))
        let byId = Dictionary(parents.map { ($0.id, $0) }) { first, _ in first }
        return domains.map {
            Self.domain($0, parent: $0.parentId.flatMap { byId[$0] }, hasChild: withChildren.contains($0.id))
        }
    }

    /// Filters and pages a fetched set of domains (domain trees are small: filtering happens here).
    static func page(
        _ domains: [Domain],
        _ context: CommandContext,
        filterById: Bool = true
    ) async throws -> CommandResult {
        let query = try context.listQuery()
        var matches = domains
        if let name = context.string("name") { matches = matches.filter { $0.name == name } }
        if let keyword = context.string("keyword")?.lowercased() {
            matches = matches.filter { $0.name.lowercased().contains(keyword) }
        }
        if let level = context.int("level") { matches = matches.filter { $0.level == level } }
        if filterById, let id = context.string("id") { matches = matches.filter { $0.id == id } }
        matches.sort { $0.path < $1.path }
        let size = query.pageSize ?? max(matches.count, 1)
        let page = matches.paged(query.page, size: size)
        return .list(
            item: "domain",
            total: matches.count,
            items: try await Self.render(page, store: context.server.store)
        )
    }

    /// The domain and its subtree.
    static func subtree(_ domain: Domain, store: CloudStore) async throws -> [Domain] {
        try await store.list(
            Domain.self,
            ListQuery(domainScope: DomainScope(column: .domain("id"), path: domain.path, recursive: true))
        ).items
    }

    static func validName(_ context: CommandContext, _ name: String) throws(CloudError) -> String {
        guard !name.contains("/"), !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw CloudError.invalidParameter(context.command, "name", name)
        }
        return name
    }

    static let createDomain = CommandDescriptor(
        "createDomain",
        "Creates a domain",
        roles: admins,
        events: .records(CommandEvent(.domainCreate, "creating Domain", .domain)),
        parameters: [
            ParameterDescriptor("name", .string, required: true, "creates domain with this name"),
            ParameterDescriptor("parentdomainid", .uuid, "assigns new domain a parent domain by domain ID"),
            ParameterDescriptor("networkdomain", .string, "Network domain for networks in the domain"),
            ParameterDescriptor("domainid", .string, "Domain UUID, required for adding domain from another Region"),
        ]
    ) { context in
        let name = try Self.validName(context, try context.required("name"))
        let parent =
            context.string("parentdomainid") == nil
            ? try await context.callerDomain() : try await context.accessibleDomain("parentdomainid")
        let id = context.string("domainid")?.lowercased() ?? UUID().uuidString.lowercased()
        guard ParameterDescriptor.isUUID(id) else {
            throw CloudError.invalidParameter(context.command, "domainid", id)
        }
        let domain = Domain(id: id, name: name, path: parent.childPath(name), parentId: parent.id)
        do {
            try await context.server.store.insert(domain)
        } catch let error as StoreError where error.kind == .duplicate {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Domain with name \(name) already exists for the parent id=\(parent.id)"
            )
        }
        return .object(name: "domain", Self.domain(domain, parent: parent, hasChild: false))
    }

    static let listDomains = CommandDescriptor(
        "listDomains",
        "Lists domains and provides detailed information for listed domains",
        roles: admins,
        parameters: ListParameters.all + [
            ParameterDescriptor("level", .integer, "List domains by domain level."),
            ParameterDescriptor("details", .list, "comma separated list of domain details requested"),
        ]
    ) { context in
        let own = try await context.callerDomain()
        // Without listall (or an id) only the caller's own domain, as CloudStack's searchForDomains.
        if context.bool("listall") || context.string("id") != nil || context.string("name") != nil
            || context.string("keyword") != nil || context.string("level") != nil
        {
            return try await Self.page(try await Self.subtree(own, store: context.server.store), context)
        }
        return try await Self.page([own], context)
    }

    static let listDomainChildren = CommandDescriptor(
        "listDomainChildren",
        "Lists all children domains belonging to a specified domain",
        roles: admins,
        parameters: ListParameters.all + [
            ParameterDescriptor("isrecursive", .boolean, "to return the entire tree")
        ]
    ) { context in
        let domain =
            context.string("id") == nil ? try await context.callerDomain() : try await context.accessibleDomain("id")
        let below = try await Self.subtree(domain, store: context.server.store).filter { $0.id != domain.id }
        let recursive = context.bool("isrecursive") || context.bool("listall")
        let found = recursive ? below : below.filter { $0.parentId == domain.id }
        return try await Self.page(found, context, filterById: false)
    }

    static let updateDomain = CommandDescriptor(
        "updateDomain",
        "Updates a domain with a new name",
        roles: admins,
        events: .records(CommandEvent(.domainUpdate, "updating Domain", .domain)),
        parameters: [
            ParameterDescriptor("id", .uuid, required: true, "ID of domain to update"),
            ParameterDescriptor("name", .string, "updates domain with this name"),
            ParameterDescriptor("networkdomain", .string, "Network domain for the domain's networks"),
        ]
    ) { context in
        var domain = try await context.accessibleDomain("id")
        if let name = context.string("name"), name != domain.name {
            guard domain.parentId != nil else {
                throw CloudError(.paramError, csErrorCode: 4350, "Can't update ROOT domain name")
            }
            _ = try Self.validName(context, name)
            do {
                domain = try await context.server.store.renameDomain(domain, to: name)
            } catch let error as StoreError where error.kind == .duplicate {
                throw CloudError(
                    .paramError,
                    csErrorCode: 4350,
                    "Domain with name \(name) already exists for the parent id=\(domain.parentId ?? "")"
                )
            }
        }
        let rendered = try await Self.render([domain], store: context.server.store)
        return .object(name: "domain", rendered[0])
    }

    static let deleteDomain = CommandDescriptor(
        "deleteDomain",
        "Deletes a specified domain",
        isAsync: true,
        roles: admins,
        events: .records(CommandEvent(.domainDelete, "deleting Domain", .domain)),
        parameters: [
            ParameterDescriptor("id", .uuid, required: true, "ID of domain to delete"),
            ParameterDescriptor(
                "cleanup",
                .boolean,
                "true if all domain resources (child domains, accounts) have to be cleaned up, false otherwise"
            ),
        ]
    ) { context in
        let domain = try await context.accessibleDomain("id")
        guard domain.parentId != nil, domain.id != context.caller.account.domainId else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Can't delete the domain \(domain.displayPath): it is the caller's domain or ROOT"
            )
        }
        let store = context.server.store
        let accounts = try await store.list(Account.self, ListQuery(equals: [("domain_id", domain.id)], pageSize: 1))
        let children = try await store.list(Domain.self, ListQuery(equals: [("parent_id", domain.id)], pageSize: 1))
        let hasChildren = children.total > 0
        let cleanup = context.bool("cleanup")
        if !cleanup && (accounts.total > 0 || hasChildren) {
            throw CloudError(
                CloudError.Code(rawValue: 536),
                csErrorCode: 4250,
                "Cannot delete domain \(domain.displayPath): it still has accounts or child domains; use cleanup=true"
            )
        }
        let server = context.server
        return try await context.submitJob(instanceType: "Domain", instanceId: domain.id) {
            try await AccountCleanup.remove(domain, server: server.core)
            return ("success", .bool(true))
        }
    }
}
