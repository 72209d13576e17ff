import CloudCore
import CloudModel
import CloudStore
import Orchestrator

/// listResourceLimits, updateResourceLimit and updateResourceCount (CloudStack's ResourceLimitManagerImpl).
enum ResourceLimitCommands {
    static var all: [CommandDescriptor] { [listResourceLimits, updateResourceLimit, updateResourceCount] }

    static let admins: Set<Role> = [.rootAdmin, .domainAdmin]

    /// Whose limits a command is about.
    enum Target {
        case account(Account, Project?)
        case domain(Domain)
    }

    /// The `resourcetype` parameter (CloudStack's number; the name is also accepted).
    static func resourceType(_ context: CommandContext, required: Bool) throws -> ResourceType? {
        guard let value = context.string("resourcetype") ?? context.string("resourcetypename") else {
            if required { throw CloudError.missingParameter(context.command, "resourcetype") }
            return nil
        }
        guard let type = ResourceType(parameter: value) else {
            throw CloudError(.paramError, csErrorCode: 4350, "Please specify valid resource type")
        }
        return type
    }

    /// The owner named by `projectid`, `account` + `domainid` or `domainid`, else `fallback`.
    static func target(_ context: CommandContext, fallback: Target?) async throws -> Target {
        if context.string("projectid") != nil {
            let project = try await context.accessibleProject()
            guard let account = try await context.server.store.get(Account.self, id: project.accountId) else {
                throw CloudError(.internalError, "the project's account is missing")
            }
            return .account(account, project)
        }
        if let name = context.string("account") {
            return .account(try await context.namedAccount(name), nil)
        }
        if context.string("domainid") != nil {
            return .domain(try await context.accessibleDomain())
        }
        if let fallback { return fallback }
        throw CloudError(
            .paramError,
            csErrorCode: 4350,
            "Please specify a domain, an account with its domain, or a project"
        )
    }

    /// The `resourcelimit` object (ResourceLimitResponse): storage maxima in GiB.

    /// A limit's owner fields: the project's, the account's or the domain's.
    static func ownerFields(_ target: Target) -> [(String, APIValue)] {
        switch target {
        case .account(let account, let project?):
            [
                ("projectid", .string(project.id)), ("project", .string(project.name)),
                ("domainid", .string(account.domainId)),
            ]
        case .account(let account, nil):
            [("account", .string(account.name)), ("domainid", .string(account.domainId))]
        case .domain(let domain):
            [("domainid", .string(domain.id))]
        }
    }
    static func render(
        _ type: ResourceType,
        maximum: Int,
        target: Target,
        domain: Domain?
    ) -> APIValue {
        var fields = Self.ownerFields(target)
        fields += [
            ("domain", .string(domain?.name ?? "ROOT")), ("domainpath", .string(domain?.displayPath ?? "ROOT")),
            ("resourcetype", .string(String(type.rawValue))), ("resourcetypename", .string(type.name)),
            ("max", .int(type.isStorage && maximum > 0 ? maximum / ResourceType.bytesPerGiB : maximum)),
        ]
        return .object(fields)
    }

    static func domain(of target: Target, store: CloudStore) async throws -> Domain? {
        switch target {
        case .account(let account, _): try await store.get(Domain.self, id: account.domainId)
        case .domain(let domain): domain
        }
    }

    static let listResourceLimits = CommandDescriptor(
        "listResourceLimits",
        "Lists resource limits.",
        parameters: [
            ParameterDescriptor("id", .long, "Lists resource limits by ID."),
            ParameterDescriptor("resourcetype", .integer, "Type of resource: 0 user_vm, 1 public_ip, 2 volume, ..."),
            ParameterDescriptor("resourcetypename", .string, "Type of resource by name: user_vm, public_ip, ..."),
            ParameterDescriptor("account", .string, "list resources by account; must be used with domainId"),
            ParameterDescriptor("domainid", .uuid, "list only resources belonging to the domain specified"),
            ParameterDescriptor("projectid", .uuid, "list objects by project"),
            ParameterDescriptor("isrecursive", .boolean, "defaults to false"),
            ParameterDescriptor("listall", .boolean, "list all resources the caller may see"),
            ParameterDescriptor("keyword", .string, "List by keyword"),
            ParameterDescriptor("page", .integer, "the page to return"),
            ParameterDescriptor("pagesize", .integer, "the number of items per page"),
        ]
    ) { context in
        let type = try Self.resourceType(context, required: false)
        // A user sees its own account's limits whatever it names (CloudStack's searchForLimits).
        let target: Target =
            context.caller.role == .user && context.string("projectid") == nil
            ? .account(context.caller.account, nil)
            : try await Self.target(context, fallback: .account(context.caller.account, nil))
        let limits = context.server.limits
        let maxima: [ResourceType: Int]
        switch target {
        case .account(let account, _): maxima = try await limits.accountLimits(account)
        case .domain(let domain): maxima = try await limits.domainLimits(domain)
        }
        let domain = try await Self.domain(of: target, store: context.server.store)
        let types = type.map { [$0] } ?? ResourceType.allCases
        let items = types.map { Self.render($0, maximum: maxima[$0] ?? -1, target: target, domain: domain) }
        let query = try context.listQuery()
        let size = query.pageSize ?? max(items.count, 1)
        return .list(
            item: "resourcelimit",
            total: items.count,
            items: items.paged(query.page, size: size)
        )
    }

    static let updateResourceLimit = CommandDescriptor(
        "updateResourceLimit",
        "Updates resource limits for an account or domain.",
        roles: admins,
        events: .records(CommandEvent(.resourceLimitUpdate, "updating resource limit")),
        parameters: [
            ParameterDescriptor("resourcetype", .integer, required: true, "Type of resource to update"),
            ParameterDescriptor("max", .long, "Maximum resource limit (-1 for unlimited; GiB for storage)"),
            ParameterDescriptor(
                "account",
                .string,
                "Update resource for a specified account. Must be used with domainId."
            ),
            ParameterDescriptor("domainid", .uuid, "Update resource limits for all accounts in specified domain."),
            ParameterDescriptor("projectid", .uuid, "Update resource limits for project"),
        ]
    ) { context in
        guard let type = try Self.resourceType(context, required: true) else {
            throw CloudError.missingParameter(context.command, "resourcetype")
        }
        var maximum = ResourceLimit.unlimited
        if context.string("max") != nil {
            guard let value = context.int("max"), value >= -1 else {
                throw CloudError(
                    .paramError,
                    csErrorCode: 4350,
                    "Please specify either '-1' for an infinite limit, or a limit that is at least '0'."
                )
            }
            maximum = value
        }
        if type.isStorage && maximum > 0 {
            guard let bytes = maximum.checkedMultiplied(by: ResourceType.bytesPerGiB) else {
                throw CloudError.outOfRange(
                    context.command,
                    "max",
                    String(maximum),
                    -1...(Int.max / ResourceType.bytesPerGiB)
                )
            }
            maximum = bytes
        }
        let target = try await Self.target(context, fallback: nil)
        let store = context.server.store
        switch target {
        case .account(let account, _):
            if account.role == .rootAdmin {
                throw CloudError(.paramError, csErrorCode: 4350, "Can't update limits for Root Admin accounts")
            }
            if context.caller.role == .domainAdmin && account.id == context.caller.account.id {
                throw CommandContext.permissionDenied(
                    "Unable to update resource limit for his own account \(account.id), permission denied"
                )
            }
            try await store.setResourceLimit(
                ResourceLimit(ownerId: account.id, ownerType: .account, type: type, maximum: maximum)
            )
        case .domain(let domain):
            guard let parentId = domain.parentId else {
                throw CommandContext.permissionDenied(
                    "Cannot update resource limit for ROOT domain \(domain.id), permission denied"
                )
            }
            if context.caller.role == .domainAdmin && domain.id == context.caller.account.domainId {
                throw CommandContext.permissionDenied(
                    "Unable to update resource limit for domain \(domain.id), permission denied"
                )
            }
            if let parent = try await store.get(Domain.self, id: parentId) {
                let parentMaximum = try await context.server.limits.domainLimits(parent)[type] ?? -1
                if parentMaximum >= 0 && (maximum < 0 || maximum > parentMaximum) {
                    let shown = type.isStorage ? parentMaximum / ResourceType.bytesPerGiB : parentMaximum
                    throw CloudError(
                        .paramError,
                        csErrorCode: 4350,
                        "Domain \(domain.name)(id: \(parent.id)) has maximum allowed resource limit \(shown) for "
                            + "\(type.name), please specify a value less than or equal to \(shown)"
                    )
                }
            }
            try await store.setResourceLimit(
                ResourceLimit(ownerId: domain.id, ownerType: .domain, type: type, maximum: maximum)
            )
        }
        let domain = try await Self.domain(of: target, store: store)
        return .object(name: "resourcelimit", Self.render(type, maximum: maximum, target: target, domain: domain))
    }

    static let updateResourceCount = CommandDescriptor(
        "updateResourceCount",
        "Recalculate and update resource count for an account or domain.",
        roles: admins,
        events: .unrecorded("recounts usage from the inventory; no event recorded for it yet"),
        parameters: [
            ParameterDescriptor(
                "domainid",
                .uuid,
                required: true,
                "If account parameter specified then updates "
                    + "resource counts for a specified account in this domain else update resource counts for all "
                    + "accounts & child domains in specified domain."
            ),
            ParameterDescriptor("account", .string, "Update resource count for a specified account."),
            ParameterDescriptor("resourcetype", .integer, "Type of resource to update."),
            ParameterDescriptor("projectid", .uuid, "Update resource limits for project"),
        ]
    ) { context in
        let type = try Self.resourceType(context, required: false)
        let target = try await Self.target(context, fallback: nil)
        let store = context.server.store
        let types = type.map { [$0] } ?? ResourceType.allCases
        let ownerId: String
        let scope: UsageScope
        switch target {
        case .account(let account, _):
            (ownerId, scope) = (account.id, .account(account.id))
        case .domain(let domain):
            (ownerId, scope) = (domain.id, .domain(path: domain.path))
        }
        // Usage is counted from the resources themselves; what is left to recalculate are reservations a
        // crashed server never released.
        try await store.clearLimitReservations(ownerIds: [ownerId])
        let usage = try await store.resourceUsage(types, scope: scope)
        let domain = try await Self.domain(of: target, store: store)
        let items: [APIValue] = types.map { type in
            var fields = Self.ownerFields(target)
            fields += [
                ("domain", .string(domain?.name ?? "ROOT")), ("resourcetype", .string(String(type.rawValue))),
                ("resourcetypename", .string(type.name)), ("resourcecount", .int(usage[type] ?? 0)),
            ]
            return .object(fields)
        }
        return .list(item: "resourcecount", total: items.count, items: items)
    }
}

extension ManagementServer {
    /// The resource limit checks over this server's store and settings.
    public var limits: ResourceLimitService {
        ResourceLimitService(store: self.store, configuration: self.configuration)
    }
}

extension CommandContext {
    /// Runs `body`, which creates resources for the account `accountId`, within that account's resource limits
    /// (and its domains'): 535 with CloudStack's text when `demands` would exceed one.
    /// - Parameters:
    ///   - accountId: the owner (nil or unknown: no limits apply).
    ///   - demands: what the resources add, by type.
    ///   - body: the creation.
    /// - Returns: what `body` returns.
    func withinLimits<T: Sendable>(
        of accountId: String?,
        _ demands: [ResourceType: Int],
        _ body: () async throws -> T
    ) async throws -> T {
        guard let accountId, let owner = try await self.server.store.get(Account.self, id: accountId) else {
            return try await body()
        }
        return try await self.server.limits.withReservation(for: owner, demands, body)
    }
}
