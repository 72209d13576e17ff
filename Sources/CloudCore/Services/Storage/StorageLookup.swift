import CloudModel
import CloudStore
import Orchestrator

/// Reads and checks the storage and image services share: rows by UUID for rendering, resource limits around a
/// creation, and paging of lists filtered in memory.
enum StorageLookup {
    /// The rows of `type` with these UUIDs (nil entries skipped), by UUID: one query.
    static func rows<Row: StoreRow>(
        _ store: CloudStore,
        _ type: Row.Type,
        _ ids: [String?],
        _ key: KeyPath<Row, String>
    ) async throws -> [String: Row] {
        let wanted = Array(Set(ids.compactMap { $0 }))
        guard !wanted.isEmpty else { return [:] }
        let rows = try await store.list(Row.self, ListQuery(idIn: wanted)).items
        return Dictionary(rows.map { ($0[keyPath: key], $0) }) { first, _ in first }
    }

    /// Runs `body`, which creates resources for the account `accountId`, within that account's resource limits
    /// (and its domains'): 535 with CloudStack's text when `demands` would exceed one.
    /// - Parameters:
    ///   - services: the core.
    ///   - accountId: the owner (nil or unknown: no limits apply).
    ///   - demands: what the resources add, by type.
    ///   - body: the creation.
    static func withinLimits<T: Sendable>(
        _ services: CloudServices,
        of accountId: String?,
        _ demands: [ResourceType: Int],
        _ body: () async throws -> T
    ) async throws -> T {
        guard let accountId, let owner = try await services.store.get(Account.self, id: accountId) else {
            return try await body()
        }
        return try await Self.limits(services).withReservation(for: owner, demands, body)
    }

    /// The resource limit checks over the core's store and settings.
    static func limits(_ services: CloudServices) -> ResourceLimitService { services.limits }

}
