import CloudModel
import CloudStore

/// What the rendering of a page of networks shows beside each network, loaded in one query per related table.
public struct NetworkRelations: Sendable {
    /// The networks' zones, by UUID.
    public var zones: [String: Zone]
    /// The networks' offerings, by UUID.
    public var offerings: [String: NetworkOffering]
    /// The networks' owners.
    public var owners: Owners
    /// The networks' tags, by network UUID.
    public var tags: [String: [ResourceTag]]

    /// Creates a set of relations.
    public init(
        zones: [String: Zone] = [:],
        offerings: [String: NetworkOffering] = [:],
        owners: Owners = Owners(),
        tags: [String: [ResourceTag]] = [:]
    ) {
        self.zones = zones
        self.offerings = offerings
        self.owners = owners
        self.tags = tags
    }
}

extension NetworkService {
    /// The zones, offerings, owners and tags of a page of networks (no query for an empty page).
    /// - Throws: ``StoreError``.
    public func relations(of networks: [Network]) async throws -> NetworkRelations {
        guard !networks.isEmpty else { return NetworkRelations() }
        let zones = Dictionary(
            try await self.store.list(Zone.self, ListQuery(idIn: Array(Set(networks.map(\.zoneId))))).items.map {
                ($0.id, $0)
            }
        ) { first, _ in first }
        let offerings = Dictionary(
            try await self.store.list(
                NetworkOffering.self,
                ListQuery(idIn: Array(Set(networks.compactMap(\.networkOfferingId))))
            ).items.map { ($0.id, $0) }
        ) { first, _ in first }
        return NetworkRelations(
            zones: zones,
            offerings: offerings,
            owners: try await self.services.owners(of: networks.map(\.accountId)),
            tags: try await self.store.tags(of: networks.map(\.id), resourceType: "Network")
        )
    }
}
