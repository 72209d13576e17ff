import CloudModel
import CloudStore
import Foundation
import Orchestrator

/// Primary storage pools (listStoragePools) and secondary storage (addImageStore, listImageStores,
/// deleteImageStore), for the root admin.
public struct StoragePoolService: Sendable {
    /// The simulated size of an added NFS image store (CloudStack's simulator reports a fixed size too).
    public static let simulatedImageStoreBytes = 1 << 40

    let services: CloudServices
    var store: CloudStore { self.services.store }

    /// The zones, pods and clusters storage sits in, by UUID (three small queries).
    /// - Throws: ``StoreError``.
    public func locations() async throws -> StorageLocations {
        func index<Row: StoreRow>(_ rows: [Row], _ id: KeyPath<Row, String>) -> [String: Row] {
            Dictionary(rows.map { ($0[keyPath: id], $0) }, uniquingKeysWith: { first, _ in first })
        }
        return StorageLocations(
            zones: index(try await self.store.list(Zone.self).items, \.id),
            pods: index(try await self.store.list(Pod.self).items, \.id),
            clusters: index(try await self.store.list(Cluster.self).items, \.id)
        )
    }

    /// What storage holds now.
    /// - Throws: ``StoreError``, ``OrchestratorError``.
    public func usage() async throws -> StorageUsage {
        StorageUsage(
            templateBytes: try await self.store.templateBytesByZone(),
            storageFactor: try await self.services.configuration.snapshot().double(
                GlobalSettings.Name.storageOverprovisioningFactor
            ) ?? 2
        )
    }

    /// The primary storage pools, by zone, cluster or pod.
    /// - Returns: the page, and the locations read to filter by pod (for rendering).
    /// - Throws: 431 for bad paging.
    public func list(
        _ access: Access,
        _ request: ListRequest,
        zoneId: String?,
        clusterId: String?,
        podId: String?
    ) async throws -> (page: ListPage<StoragePool>, locations: StorageLocations) {
        var equals: [(column: String, value: String)] = []
        if let zoneId { equals.append(("zone_id", zoneId)) }
        if let clusterId { equals.append(("cluster_id", clusterId)) }
        let query = try access.query(request, equals)
        var all = query
        all.page = 1
        all.pageSize = nil
        var pools = try await self.store.list(StoragePool.self, all).items
        let locations = try await self.locations()
        if let podId {
            pools = pools.filter { locations.clusters[$0.clusterId]?.podId == podId }
        }
        let size = query.pageSize ?? max(pools.count, 1)
        let page = Access.slice(pools, page: query.page, size: size)
        return (ListPage(total: pools.count, items: page), locations)
    }

    /// The image stores, by zone, provider or protocol.
    /// - Throws: 431 for bad paging.
    public func imageStores(
        _ access: Access,
        _ request: ListRequest,
        zoneId: String?,
        provider: String?,
        protocolName: String?
    ) async throws -> ListPage<ImageStore> {
        var equals: [(column: String, value: String)] = []
        if let zoneId { equals.append(("zone_id", zoneId)) }
        if let provider { equals.append(("provider", provider)) }
        if let protocolName { equals.append(("protocol_name", protocolName)) }
        return try await self.store.list(ImageStore.self, try access.query(request, equals))
    }

    /// Adds a simulated NFS image store to a zone.
    /// - Returns: the image store and its zone.
    /// - Throws: 431 for another provider, a missing or bad URL, a scheme other than NFS, or a missing or unknown
    ///   zone.
    public func addImageStore(
        _ access: Access,
        provider: String,
        name: String?,
        url: String?,
        zoneId: String?
    ) async throws -> (imageStore: ImageStore, zone: Zone) {
        guard provider.lowercased() == "nfs" else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "can't find image store provider by name \(provider); ZooStack simulates NFS image stores only"
            )
        }
        guard let url else { throw CloudError.missingParameter(access.command, "url") }
        guard let parsed = URLComponents(string: url), let scheme = parsed.scheme, parsed.host != nil else {
            throw CloudError.invalidParameter(access.command, "url", url)
        }
        guard scheme.lowercased() == "nfs" else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Unsupported scheme for secondary storage: \(scheme)"
            )
        }
        guard let zoneId else { throw CloudError.missingParameter(access.command, "zoneid") }
        guard let zone = try await self.store.get(Zone.self, id: zoneId) else { throw access.unknown("zoneid", zoneId) }
        let imageStore = ImageStore(
            id: UUID().uuidString.lowercased(),
            name: name ?? url,
            zoneId: zone.id,
            url: url,
            capacity: Self.simulatedImageStoreBytes,
            created: self.services.clock.now
        )
        try await self.store.insert(imageStore)
        return (imageStore, zone)
    }

    /// Deletes an image store, unless it is its zone's last one and the zone holds templates.
    /// - Throws: 431 when unknown, 536 for the last store of a zone with templates.
    public func deleteImageStore(_ access: Access, id: String) async throws {
        guard let imageStore = try await self.store.get(ImageStore.self, id: id) else {
            throw access.unknown("id", id)
        }
        let siblings = try await self.store.list(
            ImageStore.self,
            ListQuery(equals: [("zone_id", imageStore.zoneId)])
        )
        if siblings.total <= 1, try await self.store.templateCount(zoneId: imageStore.zoneId) > 0 {
            throw CloudError(
                .resourceInUse,
                csErrorCode: 4375,
                "Cannot delete image store with active templates backup!"
            )
        }
        try await self.store.deleteImageStore(id: imageStore.id)
    }
}

/// The zones, pods and clusters storage sits in, by UUID.
public struct StorageLocations: Sendable {
    /// Zones.
    public var zones: [String: Zone]
    /// Pods.
    public var pods: [String: Pod]
    /// Clusters.
    public var clusters: [String: Cluster]
}

/// What storage holds: volumes on primary storage (each pool's `used`, reserved and released by compare-and-set
/// as volumes come and go) and templates on secondary storage (held by every image store of their zone).
public struct StorageUsage: Sendable {
    /// Zone → bytes of templates.
    public let templateBytes: [String: Int]
    /// `storage.overprovisioning.factor`.
    public let storageFactor: Double

    /// The bytes allocated to volumes on a pool.
    public func allocated(_ pool: StoragePool) -> Int { pool.used }
}

extension CloudServices {
    /// Primary storage pools and image stores.
    public var storagePools: StoragePoolService { StoragePoolService(services: self) }
}
