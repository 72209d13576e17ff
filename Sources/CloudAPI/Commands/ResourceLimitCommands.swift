import CloudCore
import CloudModel
import Orchestrator

/// listResourceLimits, updateResourceLimit and updateResourceCount (CloudStack's ResourceLimitManagerImpl).
enum ResourceLimitCommands {
    static var all: [CommandDescriptor] { [listResourceLimits, updateResourceLimit, updateResourceCount] }

    static let admins: Set<Role> = [.rootAdmin, .domainAdmin]

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

    /// A limit's owner fields: the project's, the account's or the domain's.
    static func ownerFields(_ target: LimitOwner) -> [(String, APIValue)] {
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

    /// The `resourcelimit` object (ResourceLimitResponse): storage maxima in GiB.
    static func render(
        _ type: ResourceType,
        maximum: Int,
        target: LimitOwner,
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
        let (target, domain, page) = try await context.core.resourceLimits.list(
            context.access,
            owner: context.owner,
            context.listRequest,
            type: type
        )
        return .list(
            item: "resourcelimit",
            total: page.total,
            items: page.items.map { Self.render($0.type, maximum: $0.amount, target: target, domain: domain) }
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
        let (target, domain) = try await context.core.resourceLimits.update(
            context.access,
            owner: context.owner,
            type: type,
            maximum: maximum
        )
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
        let (target, domain, usage) = try await context.core.resourceLimits.recount(
            context.access,
            owner: context.owner,
            type: type
        )
        let items: [APIValue] = usage.map { count in
            var fields = Self.ownerFields(target)
            fields += [
                ("domain", .string(domain?.name ?? "ROOT")), ("resourcetype", .string(String(count.type.rawValue))),
                ("resourcetypename", .string(count.type.name)), ("resourcecount", .int(count.amount)),
            ]
            return .object(fields)
        }
        return .list(item: "resourcecount", total: items.count, items: items)
    }
}

extension ManagementServer {
    /// The resource limit checks (``CloudServices/limits``).
    public var limits: ResourceLimitService { self.core.limits }
}

extension CommandContext {
    /// Runs `body`, which creates resources for the account `accountId`, within that account's resource limits
    /// (and its domains'): 535 with CloudStack's text when `demands` would exceed one
    /// (``LimitService/within(accountId:_:_:)``).
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
        try await self.core.resourceLimits.within(accountId: accountId, demands, body)
    }
}
