import CloudModel
import CloudStore

/// Resource limits as CloudStack's `ResourceLimitManagerImpl` applies them: an account's own limit (explicit, else
/// the `max.account.*` or `max.project.*` default) and, for every domain above it but ROOT, the domain's limit
/// (explicit, else an ancestor's explicit one, else `max.domain.*`) on the sum over the domain's subtree. The root
/// admin's accounts and the ROOT domain are unlimited; -1 is unlimited.
///
/// A check reserves what it admits on the owners' guards with a compare-and-set (see
/// `CloudStore.resourceUsage` and `CloudStore.reserveLimit`), so two concurrent requests never both pass a limit
/// one of them fills; the caller releases the reservation once the resources exist (``withReservation(for:_:_:)``).
public struct ResourceLimitService: Sendable {
    let store: CloudStore
    let configuration: ConfigurationService

    /// Creates the service.
    /// - Parameters:
    ///   - store: the store.
    ///   - configuration: the settings holding the default limits.
    public init(store: CloudStore, configuration: ConfigurationService) {
        self.store = store
        self.configuration = configuration
    }

    /// An account with what its limits depend on.
    public struct Owner: Sendable {
        /// The account.
        public var account: Account
        /// The project it is the account of, if any.
        public var project: Project?
        /// Its domain and the domain's ancestors, ROOT first.
        public var chain: [Domain]
        /// Explicit limits of the account and the chain: owner UUID → type → maximum.
        var explicit: [String: [ResourceType: Int]]
    }

    /// What a check admitted, to release once the resources exist.
    public struct Reservation: Sendable {
        /// Per guard owner, the amounts reserved.
        var entries: [(ownerId: String, amounts: [ResourceType: Int])] = []

        /// Nothing reserved (nothing was limited).
        public static let none = Reservation()
    }

    /// Loads what an account's limits depend on.
    /// - Throws: ``OrchestratorError``.
    public func owner(_ account: Account) async throws(OrchestratorError) -> Owner {
        try await Self.run {
            let chain = try await self.store.domainChain(of: account.domainId)
            var project: Project?
            if Project.isProjectAccountName(account.name) {
                project = try await self.store.projects(ofAccounts: [account.id])[account.id]
            }
            let limits = try await self.store.resourceLimits(ownerIds: [account.id] + chain.map(\.id))
            var explicit: [String: [ResourceType: Int]] = [:]
            for limit in limits {
                guard let type = limit.resourceType else { continue }
                explicit[limit.ownerId, default: [:]][type] = limit.maximum
            }
            return Owner(account: account, project: project, chain: chain, explicit: explicit)
        }
    }

    /// An account's effective limit of a type, in the type's unit (bytes for storage); -1 for unlimited.
    public func accountLimit(_ owner: Owner, _ type: ResourceType) async throws(OrchestratorError) -> Int {
        if owner.account.role == .rootAdmin { return ResourceLimit.unlimited }
        if let explicit = owner.explicit[owner.account.id]?[type] { return explicit }
        return try await self.defaultLimit(type, owner: owner.project == nil ? .account : .project)
    }

    /// A domain's effective limit of a type: its own, else its nearest ancestor's explicit one, else the
    /// `max.domain.*` default; ROOT is unlimited.
    /// - Parameters:
    ///   - domain: the domain, an element of `chain`.
    ///   - chain: the domain's chain, ROOT first.
    ///   - explicit: explicit limits by owner.
    public func domainLimit(
        _ domain: Domain,
        chain: [Domain],
        explicit: [String: [ResourceType: Int]],
        _ type: ResourceType
    ) async throws(OrchestratorError) -> Int {
        guard domain.parentId != nil else { return ResourceLimit.unlimited }
        let above = chain.filter { $0.parentId != nil && domain.path.hasPrefix($0.path) }
        for candidate in above.sorted(by: { $0.path.count > $1.path.count }) {
            if let value = explicit[candidate.id]?[type] { return value }
        }
        return try await self.defaultLimit(type, owner: .domain)
    }

    /// The limits of a domain, for listing.
    /// - Throws: ``OrchestratorError``.
    public func domainLimits(_ domain: Domain) async throws(OrchestratorError) -> [ResourceType: Int] {
        let chain = try await Self.run { try await self.store.domainChain(of: domain.id) }
        let limits = try await Self.run { try await self.store.resourceLimits(ownerIds: chain.map(\.id)) }
        var explicit: [String: [ResourceType: Int]] = [:]
        for limit in limits {
            guard let type = limit.resourceType else { continue }
            explicit[limit.ownerId, default: [:]][type] = limit.maximum
        }
        var result: [ResourceType: Int] = [:]
        for type in ResourceType.allCases {
            result[type] = try await self.domainLimit(domain, chain: chain, explicit: explicit, type)
        }
        return result
    }

    /// The limits of an account, for listing.
    /// - Throws: ``OrchestratorError``.
    public func accountLimits(_ account: Account) async throws(OrchestratorError) -> [ResourceType: Int] {
        let owner = try await self.owner(account)
        var result: [ResourceType: Int] = [:]
        for type in ResourceType.allCases { result[type] = try await self.accountLimit(owner, type) }
        return result
    }

    func defaultLimit(
        _ type: ResourceType,
        owner: GlobalSettings.DefaultLimitOwner
    ) async throws(OrchestratorError) -> Int {
        guard let name = GlobalSettings.defaultLimitName(type, owner: owner),
            let value = try await self.configuration.snapshot().int(name), value >= 0
        else { return ResourceLimit.unlimited }
        return type.isStorage ? value.saturatingMultiplied(by: ResourceType.bytesPerGiB) : value
    }

    /// Checks that `account` may have `demands` more, reserving them.
    /// - Parameters:
    ///   - account: the owner of the new resources.
    ///   - demands: the amounts by type (MiB of memory, bytes of storage); non-positive amounts are ignored.
    /// - Returns: the reservation, to ``release(_:)`` once the resources exist or have failed.
    /// - Throws: ``OrchestratorError`` ``OrchestratorError/Kind/resourceAllocation`` with CloudStack's text when a
    ///   limit would be exceeded.
    public func reserve(
        _ account: Account,
        _ demands: [ResourceType: Int]
    ) async throws(OrchestratorError) -> Reservation {
        let wanted = demands.filter { $0.value > 0 }
        guard !wanted.isEmpty, account.role != .rootAdmin else { return .none }
        let owner = try await self.owner(account)
        let types = Self.checkOrder(wanted.keys)
        // What each guard owner must stay within: the account, then its domains nearest first.
        var checks: [LimitCheck] = []
        var accountMaxima: [ResourceType: Int] = [:]
        for type in types {
            let maximum = try await self.accountLimit(owner, type)
            if maximum != ResourceLimit.unlimited { accountMaxima[type] = maximum }
        }
        if !accountMaxima.isEmpty {
            checks.append(
                LimitCheck(ownerId: account.id, scope: .account(account.id), domain: nil, maxima: accountMaxima)
            )
        }
        for domain in owner.chain.reversed() where domain.parentId != nil {
            var maxima: [ResourceType: Int] = [:]
            for type in types {
                let maximum = try await self.domainLimit(domain, chain: owner.chain, explicit: owner.explicit, type)
                if maximum != ResourceLimit.unlimited { maxima[type] = maximum }
            }
            if !maxima.isEmpty {
                checks.append(
                    LimitCheck(ownerId: domain.id, scope: .domain(path: domain.path), domain: domain, maxima: maxima)
                )
            }
        }
        guard !checks.isEmpty else { return .none }
        for _ in 0..<Self.attempts {
            let guards = try await Self.run { try await self.store.limitGuards(ownerIds: checks.map(\.ownerId)) }
            var usage: [String: [ResourceType: Int]] = [:]
            for check in checks {
                usage[check.ownerId] = try await Self.run {
                    try await self.store.resourceUsage(Array(check.maxima.keys), scope: check.scope)
                }
            }
            for type in types {
                for check in checks {
                    guard let maximum = check.maxima[type] else { continue }
                    let used = usage[check.ownerId]?[type] ?? 0
                    let reserved = guards[check.ownerId]?.reserved[type] ?? 0
                    let requested = wanted[type] ?? 0
                    if used.saturatingAdding(reserved).saturatingAdding(requested) > maximum {
                        throw self.exceeded(
                            type,
                            check: check,
                            owner: owner,
                            (maximum, used, reserved, requested)
                        )
                    }
                }
            }
            var reservation = Reservation()
            var lost = false
            for check in checks {
                let amounts = wanted.filter { check.maxima[$0.key] != nil }
                let version = guards[check.ownerId]?.version ?? 0
                let won = try await Self.run {
                    try await self.store.reserveLimit(ownerId: check.ownerId, version: version, amounts: amounts)
                }
                guard won else {
                    lost = true
                    break
                }
                reservation.entries.append((check.ownerId, amounts))
            }
            if !lost { return reservation }
            await self.release(reservation)
        }
        throw OrchestratorError(.internalError, "Unable to check the resource limits of account \(account.name)")
    }

    /// Releases what a check reserved (the resources now exist, or were never created).
    public func release(_ reservation: Reservation) async {
        for entry in reservation.entries {
            try? await self.store.releaseLimit(ownerId: entry.ownerId, amounts: entry.amounts)
        }
    }

    /// Runs `body` (which creates the resources) under a reservation of `demands` for `account`.
    /// - Throws: the limit error, or what `body` throws.
    public func withReservation<T: Sendable>(
        for account: Account,
        _ demands: [ResourceType: Int],
        _ body: () async throws -> T
    ) async throws -> T {
        let reservation = try await self.reserve(account, demands)
        do {
            let result = try await body()
            await self.release(reservation)
            return result
        } catch {
            await self.release(reservation)
            throw error
        }
    }

    /// How many compare-and-set rounds a check tries before giving up.
    static let attempts = 256

    /// Types in the order CloudStack's deploy checks them (VM, CPU, memory, volumes, storage), then the rest.
    static func checkOrder(_ types: some Sequence<ResourceType>) -> [ResourceType] {
        let first: [ResourceType] = [.userVM, .cpu, .memory, .volume, .primaryStorage]
        return Array(types).sorted { lhs, rhs in
            let left = first.firstIndex(of: lhs) ?? first.count + lhs.rawValue
            let right = first.firstIndex(of: rhs) ?? first.count + rhs.rawValue
            return left < right
        }
    }

    struct LimitCheck: Sendable {
        var ownerId: String
        var scope: UsageScope
        var domain: Domain?
        var maxima: [ResourceType: Int]
    }

    /// CloudStack's `ResourceAllocationException` texts (ResourceLimitManagerImpl).
    func exceeded(
        _ type: ResourceType,
        check: LimitCheck,
        owner: Owner,
        _ amounts: (limit: Int, used: Int, reserved: Int, requested: Int)
    ) -> OrchestratorError {
        if let domain = check.domain {
            return OrchestratorError(
                .resourceAllocation,
                "Maximum domain resource limits of Type '\(type.name)' for Domain Id = \(domain.id) is exceeded: "
                    + "Domain Resource Limit = \(amounts.limit), Current Domain Resource Amount = \(amounts.used), "
                    + "Current Resource Reservation = \(amounts.reserved), "
                    + "Requested Resource Amount = \(amounts.requested)."
            )
        }
        let who = owner.project.map { "Project Name = \($0.name)" } ?? "Account Name = \(owner.account.name)"
        return OrchestratorError(
            .resourceAllocation,
            "Maximum amount of resources of Type = '\(type.name)' for \(who) in Domain Id = "
                + "\(owner.account.domainId) is exceeded: Account Resource Limit = \(amounts.limit), "
                + "Current Account Resource Amount = \(amounts.used), "
                + "Current Account Resource Reservation = \(amounts.reserved), "
                + "Requested Resource Amount = \(amounts.requested)."
        )
    }

    static func run<T>(_ body: () async throws -> T) async throws(OrchestratorError) -> T {
        do {
            return try await body()
        } catch let error as OrchestratorError {
            throw error
        } catch {
            throw OrchestratorError(.internalError, "Internal error executing command")
        }
    }
}
