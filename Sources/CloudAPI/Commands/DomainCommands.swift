import CloudCore
import CloudModel

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

    /// Renders domains with their parents and whether they have children (``DomainService/families(of:)``).
    static func render(_ domains: [Domain], core: CloudServices) async throws -> [APIValue] {
        let (parents, withChildren) = try await core.domainTree.families(of: domains)
        return domains.map {
            Self.domain($0, parent: $0.parentId.flatMap { parents[$0] }, hasChild: withChildren.contains($0.id))
        }
    }

    /// A page of domains, rendered.
    static func list(_ page: ListPage<Domain>, _ context: CommandContext) async throws -> CommandResult {
        .list(item: "domain", total: page.total, items: try await Self.render(page.items, core: context.core))
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
        let (domain, parent) = try await context.core.domainTree.create(
            context.access,
            name: try context.required("name"),
            parentId: context.string("parentdomainid"),
            id: context.string("domainid")
        )
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
        let page = try await context.core.domainTree.list(
            context.access,
            context.listRequest,
            DomainService.Filters(level: context.int("level"))
        )
        return try await Self.list(page, context)
    }

    static let listDomainChildren = CommandDescriptor(
        "listDomainChildren",
        "Lists all children domains belonging to a specified domain",
        roles: admins,
        parameters: ListParameters.all + [
            ParameterDescriptor("isrecursive", .boolean, "to return the entire tree")
        ]
    ) { context in
        let page = try await context.core.domainTree.children(
            context.access,
            id: context.string("id"),
            context.listRequest,
            DomainService.Filters(level: context.int("level"))
        )
        return try await Self.list(page, context)
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
        let domain = try await context.core.domainTree.rename(
            context.access,
            id: try context.required("id"),
            to: context.string("name")
        )
        let rendered = try await Self.render([domain], core: context.core)
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
        let domains = context.core.domainTree
        let domain = try await domains.prepareDelete(
            context.access,
            id: try context.required("id"),
            cleanup: context.bool("cleanup")
        )
        return try await context.submitJob(instanceType: "Domain", instanceId: domain.id) {
            try await domains.delete(domain)
            return ("success", .bool(true))
        }
    }
}
