import CloudModel
import SQLiteKit

extension ResourceLimit: StoreRow { public static var table: String { "resource_limit" } }

/// Whose usage a limit check counts.
public enum UsageScope: Sendable, Hashable {
    /// One account's resources.
    case account(String)
    /// The resources of every account of a domain's subtree (the domain's path).
    case domain(path: String)
}

/// A limit guard (`resource_guard`): the compare-and-set version of an account or domain and, per resource type,
/// what admitted requests have reserved but not created yet.
public struct LimitGuard: Sendable, Hashable {
    /// The account's or domain's UUID.
    public var ownerId: String
    /// The compare-and-set version.
    public var version: Int
    /// Reserved amounts by type.
    public var reserved: [ResourceType: Int]
}

/// Resource limits and the usage they are checked against.
///
/// Usage is always counted from the resources' own tables (nothing to keep in step when a resource goes away).
/// Races between checks are closed by the guard rows: a check reads its owners' guards, counts usage, and then
/// reserves its amounts with one compare-and-set per owner on the version it read; any concurrent reservation
/// bumps the version, so a check that counted before another was admitted loses its compare-and-set and counts
/// again. Reservations are released once the resources exist (their rows then count as usage).
extension CloudStore {
    /// The explicit limits of accounts and domains.
    /// - Parameter ownerIds: the account and domain UUIDs.
    /// - Returns: their limits.
    /// - Throws: ``StoreError``.
    public func resourceLimits(ownerIds: [String]) async throws(StoreError) -> [ResourceLimit] {
        guard !ownerIds.isEmpty else { return [] }
        return try await self.list(ResourceLimit.self, ListQuery(idIn: ownerIds).inOwnerColumn).items
    }

    /// Sets (inserts or replaces) an explicit limit.
    /// - Parameter limit: the limit.
    /// - Throws: ``StoreError``.
    public func setResourceLimit(_ limit: ResourceLimit) async throws(StoreError) {
        try await self.guarded("set resource limit") {
            try await self.sql.raw(
                """
                INSERT INTO resource_limit (owner_id, owner_type, type, maximum) VALUES (\(bind: limit.ownerId), \
                \(bind: limit.ownerType.rawValue), \(bind: limit.type), \(bind: limit.maximum)) \
                ON CONFLICT (owner_id, type) DO UPDATE SET maximum = excluded.maximum
                """
            ).run()
        }
    }

    /// A domain and its ancestors, ROOT first.
    /// - Parameter domainId: the domain.
    /// - Returns: the chain (empty when the domain is unknown).
    /// - Throws: ``StoreError``.
    public func domainChain(of domainId: String) async throws(StoreError) -> [Domain] {
        let rows = try await self.guarded("read domain chain") {
            try await self.sql.raw(
                """
                SELECT ancestor.* FROM domain AS mine, domain AS ancestor WHERE mine.id = \(bind: domainId) \
                AND substr(mine.path, 1, length(ancestor.path)) = ancestor.path
                """
            ).all(decoding: Domain.self, keyDecodingStrategy: SnakeCaseKeys.strategy)
        }
        return rows.sorted { $0.path.count < $1.path.count }
    }

    /// What an account, or a domain's subtree, uses of each type.
    /// - Parameters:
    ///   - types: the types to count.
    ///   - scope: the account or domain.
    /// - Returns: the usage by type, in the types' units (MiB of memory, bytes of storage).
    /// - Throws: ``StoreError``.
    public func resourceUsage(
        _ types: [ResourceType],
        scope: UsageScope
    ) async throws(StoreError) -> [ResourceType: Int] {
        guard !types.isEmpty else { return [:] }
        var statement = SQLQueryString("SELECT ")
        for (index, type) in types.enumerated() {
            if index > 0 { statement.appendInterpolation(unsafeRaw: ", ") }
            statement.appendInterpolation(unsafeRaw: "CAST((")
            statement.appendInterpolation(Self.usageExpression(type, scope: scope))
            statement.appendInterpolation(unsafeRaw: ") AS BIGINT) AS \(type.name)")
        }
        let finished = statement
        return try await self.guarded("count resource usage") {
            guard let row = try await self.sql.raw(finished).first() else { return [:] }
            var usage: [ResourceType: Int] = [:]
            for type in types { usage[type] = try row.decode(column: type.name, as: Int.self) }
            return usage
        }
    }

    /// The scalar subquery counting one type.
    static func usageExpression(_ type: ResourceType, scope: UsageScope) -> SQLQueryString {
        func owned(_ column: String) -> SQLQueryString {
            switch scope {
            case .account(let id):
                return "\(unsafeRaw: column) = \(bind: id)"
            case .domain(let path):
                return """
                    \(unsafeRaw: column) IN (SELECT account.id FROM account WHERE account.domain_id IN \
                    (SELECT id FROM domain WHERE substr(path, 1, \(bind: path.unicodeScalars.count)) = \(bind: path)))
                    """
            }
        }
        let liveVM = "state NOT IN ('Destroyed', 'Expunging')"
        switch type {
        case .userVM:
            return "SELECT count(*) FROM vm_instance WHERE \(owned("account_id")) AND \(unsafeRaw: liveVM)"
        case .cpu:
            return
                "SELECT coalesce(sum(cpu_number), 0) FROM vm_instance WHERE \(owned("account_id")) AND \(unsafeRaw: liveVM)"
        case .memory:
            return
                "SELECT coalesce(sum(memory), 0) FROM vm_instance WHERE \(owned("account_id")) AND \(unsafeRaw: liveVM)"
        case .volume:
            return "SELECT count(*) FROM volume WHERE \(owned("account_id"))"
        case .primaryStorage:
            return "SELECT coalesce(sum(size), 0) FROM volume WHERE \(owned("account_id"))"
        case .snapshot:
            return "SELECT count(*) FROM snapshot WHERE \(owned("account_id"))"
        case .template:
            return "SELECT count(*) FROM template WHERE \(owned("account_id"))"
        case .publicIP:
            return "SELECT count(*) FROM public_ip_address WHERE \(owned("account_id")) AND state <> 'Free'"
        case .network:
            return "SELECT count(*) FROM network WHERE \(owned("account_id")) AND guest_type <> 'Shared'"
        case .vpc:
            return "SELECT count(*) FROM vpc WHERE \(owned("account_id"))"
        case .project:
            return "SELECT count(*) FROM project WHERE \(owned("owner_id"))"
        case .secondaryStorage:
            return """
                SELECT coalesce(sum(size), 0) + (SELECT coalesce(sum(size), 0) FROM snapshot \
                WHERE \(owned("account_id"))) FROM template WHERE \(owned("account_id"))
                """
        }
    }

    /// The guards of accounts or domains, created (empty) when missing.
    /// - Parameter ownerIds: the UUIDs.
    /// - Returns: their guards.
    /// - Throws: ``StoreError``.
    public func limitGuards(ownerIds: [String]) async throws(StoreError) -> [String: LimitGuard] {
        var guards = try await self.readGuards(ownerIds)
        let missing = ownerIds.filter { guards[$0] == nil }
        guard !missing.isEmpty else { return guards }
        for ownerId in missing {
            try await self.guarded("create limit guard") {
                try await self.sql.raw(
                    """
                    INSERT INTO resource_guard (owner_id, version) VALUES (\(bind: ownerId), 0) \
                    ON CONFLICT (owner_id) DO NOTHING
                    """
                ).run()
            }
        }
        guards.merge(try await self.readGuards(missing)) { _, new in new }
        return guards
    }

    private func readGuards(_ ownerIds: [String]) async throws(StoreError) -> [String: LimitGuard] {
        guard !ownerIds.isEmpty else { return [:] }
        var statement = SQLQueryString("SELECT * FROM resource_guard WHERE owner_id IN (")
        for (index, id) in ownerIds.enumerated() {
            statement.appendInterpolation(unsafeRaw: index > 0 ? ", " : "")
            statement.appendInterpolation(bind: id)
        }
        statement.appendInterpolation(unsafeRaw: ")")
        let finished = statement
        return try await self.guarded("read limit guards") {
            var guards: [String: LimitGuard] = [:]
            for row in try await self.sql.raw(finished).all() {
                let ownerId = try row.decode(column: "owner_id", as: String.self)
                var reserved: [ResourceType: Int] = [:]
                for type in ResourceType.allCases {
                    reserved[type] = try row.decode(column: type.name, as: Int.self)
                }
                guards[ownerId] = LimitGuard(
                    ownerId: ownerId,
                    version: try row.decode(column: "version", as: Int.self),
                    reserved: reserved
                )
            }
            return guards
        }
    }

    /// Reserves amounts on a guard if its version is still `version` (and bumps it).
    /// - Returns: false when another check reserved in between.
    /// - Throws: ``StoreError``.
    public func reserveLimit(
        ownerId: String,
        version: Int,
        amounts: [ResourceType: Int]
    ) async throws(StoreError) -> Bool {
        var statement = SQLQueryString("UPDATE resource_guard SET version = version + 1")
        for (type, amount) in amounts.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            statement.appendInterpolation(unsafeRaw: ", \(type.name) = \(type.name) + ")
            statement.appendInterpolation(bind: amount)
        }
        statement.appendInterpolation(unsafeRaw: " WHERE owner_id = ")
        statement.appendInterpolation(bind: ownerId)
        statement.appendInterpolation(unsafeRaw: " AND version = ")
        statement.appendInterpolation(bind: version)
        statement.appendInterpolation(unsafeRaw: " RETURNING owner_id")
        let finished = statement
        return try await self.guarded("reserve limit") {
            try await self.sql.raw(finished).first(decodingColumn: "owner_id", as: String.self) != nil
        }
    }

    /// Releases amounts reserved on a guard (never below zero).
    /// - Throws: ``StoreError``.
    public func releaseLimit(ownerId: String, amounts: [ResourceType: Int]) async throws(StoreError) {
        guard !amounts.isEmpty else { return }
        var statement = SQLQueryString("UPDATE resource_guard SET ")
        for (index, (type, amount)) in amounts.sorted(by: { $0.key.rawValue < $1.key.rawValue }).enumerated() {
            statement.appendInterpolation(unsafeRaw: index > 0 ? ", " : "")
            statement.appendInterpolation(unsafeRaw: "\(type.name) = CASE WHEN \(type.name) > ")
            statement.appendInterpolation(bind: amount)
            statement.appendInterpolation(unsafeRaw: " THEN \(type.name) - ")
            statement.appendInterpolation(bind: amount)
            statement.appendInterpolation(unsafeRaw: " ELSE 0 END")
        }
        statement.appendInterpolation(unsafeRaw: " WHERE owner_id = ")
        statement.appendInterpolation(bind: ownerId)
        let finished = statement
        try await self.guarded("release limit") { try await self.sql.raw(finished).run() }
    }

    /// Forgets every reservation on the guards of accounts or domains (``updateResourceCount``'s recovery from
    /// reservations a crashed server never released).
    /// - Throws: ``StoreError``.
    public func clearLimitReservations(ownerIds: [String]) async throws(StoreError) {
        for ownerId in ownerIds {
            try await self.releaseLimit(
                ownerId: ownerId,
                amounts: Dictionary(uniqueKeysWithValues: ResourceType.allCases.map { ($0, Int.max / 2) })
            )
        }
    }
}

extension ListQuery {
    /// The query with its `idIn` on `owner_id`.
    var inOwnerColumn: ListQuery {
        var query = self
        query.inColumn = "owner_id"
        return query
    }
}
