import CloudModel
import CloudStore
import Orchestrator

/// Whose resource limits an operation is about: an account (a project's, with its project) or a domain.
public enum LimitOwner: Sendable {
    /// An account, and the project it is the account of.
    case account(Account, Project?)
    /// A domain.
    case domain(Domain)
}

/// An amount of one resource type: a limit (-1 for unlimited) or a usage count; bytes for storage types.
public struct ResourceAmount: Sendable, Hashable {
    /// The type.
    public var type: ResourceType
    /// The amount.
    public var amount: Int
}

/// Resource limits administration (CloudStack's `ResourceLimitManagerImpl`): listResourceLimits,
/// updateResourceLimit and updateResourceCount. The checks themselves are ``ResourceLimitService``'s (``CloudServices/limits``).
public struct LimitService: Sendable {
    let services: CloudServices
    var store: CloudStore { self.services.store }

    /// The limits an owner has, by type: a user sees its own account's whatever it names, unless it names a
    /// project (CloudStack's searchForLimits); without an owner, the caller's account.
    /// - Parameters:
    ///   - access: the caller's access.
    ///   - owner: `projectId`, `account` (+ `domainId`) or `domainId`.
    ///   - request: the paging.
    ///   - type: one type, else all.
    /// - Returns: the owner, its domain and a page of maxima.
    /// - Throws: 431 for unknown owners or bad paging, 531 out of reach.
    public func list(
        _ access: Access,
        owner request: OwnerRequest,
        _ page: ListRequest,
        type: ResourceType?
    ) async throws -> (owner: LimitOwner, domain: Domain?, maxima: ListPage<ResourceAmount>) {
        let fallback = LimitOwner.account(access.caller.account, nil)
        let owner =
            access.caller.role == .user && request.projectId == nil
            ? fallback : try await self.owner(access, request, fallback: fallback)
        let maxima: [ResourceType: Int]
        switch owner {
        case .account(let account, _): maxima = try await self.services.limits.accountLimits(account)
        case .domain(let domain): maxima = try await self.services.limits.domainLimits(domain)
        }
        let domain = try await self.domain(of: owner)
        let types = type.map { [$0] } ?? ResourceType.allCases
        let items = types.map { ResourceAmount(type: $0, amount: maxima[$0] ?? -1) }
        return (owner, domain, try access.pageInMemory(items, page))
    }

    /// Sets an account's or a domain's limit for one type. Root admins' accounts and ROOT have no limits, a
    /// domain admin cannot raise its own account's or domain's, and a domain's limit cannot exceed its parent's.
    /// - Parameters:
    ///   - access: the caller's access.
    ///   - owner: `projectId`, `account` (+ `domainId`) or `domainId`.
    ///   - type: the type.
    ///   - maximum: the maximum (bytes for storage types); -1 for unlimited.
    /// - Returns: the owner and its domain.
    /// - Throws: 431 for unknown owners or a bad value, 531 when refused.
    public func update(
        _ access: Access,
        owner request: OwnerRequest,
        type: ResourceType,
        maximum: Int
    ) async throws -> (owner: LimitOwner, domain: Domain?) {
        let owner = try await self.owner(access, request, fallback: nil)
        switch owner {
        case .account(let account, _):
            if account.role == .rootAdmin {
                throw CloudError(.paramError, csErrorCode: 4350, "Can't update limits for Root Admin accounts")
            }
            if access.caller.role == .domainAdmin && account.id == access.caller.account.id {
                throw Access.permissionDenied(
                    "Unable to update resource limit for his own account \(account.id), permission denied"
                )
            }
            try await self.store.setResourceLimit(
                ResourceLimit(ownerId: account.id, ownerType: .account, type: type, maximum: maximum)
            )
        case .domain(let domain):
            guard let parentId = domain.parentId else {
                throw Access.permissionDenied(
                    "Cannot update resource limit for ROOT domain \(domain.id), permission denied"
                )
            }
            if access.caller.role == .domainAdmin && domain.id == access.caller.account.domainId {
                throw Access.permissionDenied(
                    "Unable to update resource limit for domain \(domain.id), permission denied"
                )
            }
            if let parent = try await self.store.get(Domain.self, id: parentId) {
                let parentMaximum = try await self.services.limits.domainLimits(parent)[type] ?? -1
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
            try await self.store.setResourceLimit(
                ResourceLimit(ownerId: domain.id, ownerType: .domain, type: type, maximum: maximum)
            )
        }
        return (owner, try await self.domain(of: owner))
    }

    /// Recounts an owner's usage. Usage is counted from the resources themselves; what is left to recalculate
    /// are reservations a crashed server never released, which are cleared.
    /// - Parameters:
    ///   - access: the caller's access.
    ///   - owner: `projectId`, `account` (+ `domainId`) or `domainId`.
    ///   - type: one type, else all.
    /// - Returns: the owner, its domain and the usage by type.
    /// - Throws: 431 for unknown owners, 531 out of reach.
    public func recount(
        _ access: Access,
        owner request: OwnerRequest,
        type: ResourceType?
    ) async throws -> (owner: LimitOwner, domain: Domain?, usage: [ResourceAmount]) {
        let owner = try await self.owner(access, request, fallback: nil)
        let types = type.map { [$0] } ?? ResourceType.allCases
        let ownerId: String
        let scope: UsageScope
        switch owner {
        case .account(let account, _):
            (ownerId, scope) = (account.id, .account(account.id))
        case .domain(let domain):
            (ownerId, scope) = (domain.id, .domain(path: domain.path))
        }
        try await self.store.clearLimitReservations(ownerIds: [ownerId])
        let usage = try await self.store.resourceUsage(types, scope: scope)
        let domain = try await self.domain(of: owner)
        return (owner, domain, types.map { ResourceAmount(type: $0, amount: usage[$0] ?? 0) })
    }

    /// Runs `body`, which creates resources for the account `accountId`, within that account's resource limits
    /// (and its domains'): 535 with CloudStack's text when `demands` would exceed one.
    /// - Parameters:
    ///   - accountId: the owner (nil or unknown: no limits apply).
    ///   - demands: what the resources add, by type.
    ///   - body: the creation.
    /// - Returns: what `body` returns.
    public func within<T: Sendable>(
        accountId: String?,
        _ demands: [ResourceType: Int],
        _ body: () async throws -> T
    ) async throws -> T {
        guard let accountId, let owner = try await self.store.get(Account.self, id: accountId) else {
            return try await body()
        }
        return try await self.services.limits.withReservation(for: owner, demands, body)
    }

    /// The owner named by `projectId`, `account` + `domainId` or `domainId`, else `fallback`.
    /// - Throws: 431 when none is named and there is no fallback, or unknown; 531 out of reach.
    func owner(_ access: Access, _ request: OwnerRequest, fallback: LimitOwner?) async throws -> LimitOwner {
        if let projectId = request.projectId {
            let project = try await access.project(id: projectId)
            guard let account = try await self.store.get(Account.self, id: project.accountId) else {
                throw CloudError(.internalError, "the project's account is missing")
            }
            return .account(account, project)
        }
        if let name = request.account {
            return .account(try await access.namedAccount(name, domainId: request.domainId), nil)
        }
        if let domainId = request.domainId {
            return .domain(try await access.domain(id: domainId))
        }
        if let fallback { return fallback }
        throw CloudError(
            .paramError,
            csErrorCode: 4350,
            "Please specify a domain, an account with its domain, or a project"
        )
    }

    /// The owner's domain.
    func domain(of owner: LimitOwner) async throws -> Domain? {
        switch owner {
        case .account(let account, _): try await self.store.get(Domain.self, id: account.domainId)
        case .domain(let domain): domain
        }
    }
}

extension CloudServices {
    /// Resource limits administration (list, update, recount).
    public var resourceLimits: LimitService { LimitService(services: self) }
}
