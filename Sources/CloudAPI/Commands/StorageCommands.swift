import CloudCore
import CloudModel
import CloudStore
import Foundation
import Orchestrator

/// Primary storage pools (listStoragePools) and secondary storage (addImageStore, listImageStores,
/// deleteImageStore); root admin only.
enum StorageCommands {
    static var all: [CommandDescriptor] { [listStoragePools, listImageStores, addImageStore, deleteImageStore] }

    static let admins: Set<Role> = [.rootAdmin]

    /// The simulated size of an added NFS image store (CloudStack's simulator reports a fixed size too).
    static let simulatedImageStoreBytes = 1 << 40

    static let listStoragePools = CommandDescriptor(
        "listStoragePools",
        "Lists storage pools.",
        roles: admins,
        parameters: ListParameters.all + [
            ParameterDescriptor("zoneid", .uuid, "the Zone ID for the storage pool"),
            ParameterDescriptor("clusterid", .uuid, "list storage pools belongig to the specific cluster"),
            ParameterDescriptor("podid", .uuid, "the Pod ID for the storage pool"),
        ]
    ) { context in
        var filters: [(column: String, value: String)] = []
        if let zone = context.string("zoneid") { filters.append(("zone_id", zone)) }
        if let cluster = context.string("clusterid") { filters.append(("cluster_id", cluster)) }
        let store = context.server.store
        var query = try context.listQuery(filters)
        var all = query
        all.page = 1
        all.pageSize = nil
        var pools = try await store.list(StoragePool.self, all).items
        let names = try await HostResponses.load(store)
        if let pod = context.string("podid") {
            pools = pools.filter { names.clusters[$0.clusterId]?.podId == pod }
        }
        let usage = try await StorageUsage.load(context.server)
        query.pageSize = query.pageSize ?? max(pools.count, 1)
        let size = query.pageSize ?? 1
        let page = pools.paged(query.page, size: size)
        let items = page.map { pool -> APIValue in
            let cluster = names.clusters[pool.clusterId]
            let allocated = usage.allocated(pool)
            return .object([
                ("id", .string(pool.id)), ("name", .string(pool.name)), ("zoneid", .string(pool.zoneId)),
                ("zonename", .string(names.zones[pool.zoneId]?.name ?? "")),
                ("podid", .string(cluster?.podId ?? "")),
                ("podname", .string(cluster.flatMap { names.pods[$0.podId]?.name } ?? "")),
                ("clusterid", .string(pool.clusterId)), ("clustername", .string(cluster?.name ?? "")),
                ("ipaddress", .string("10.147.28.6")), ("path", .string("/export/home/sandbox/\(pool.name)")),
                ("type", .string("NetworkFilesystem")), ("state", .string("Up")), ("scope", .string("CLUSTER")),
                ("hypervisor", .string(cluster?.hypervisor ?? "Simulator")),
                ("disksizetotal", .int(pool.capacity)), ("disksizeallocated", .int(allocated)),
                ("disksizeused", .int(allocated)),
                ("overprovisionfactor", .string(String(usage.storageFactor))),
                ("storagecapacityiops", .int(0)), ("tags", .string("")), ("suitableformigration", .bool(false)),
            ])
        }
        return .list(item: "storagepool", total: pools.count, items: Array(items))
    }

    static let listImageStores = CommandDescriptor(
        "listImageStores",
        "Lists image stores.",
        roles: admins,
        parameters: ListParameters.all + [
            ParameterDescriptor("zoneid", .uuid, "the Zone ID for the image store"),
            ParameterDescriptor("provider", .string, "the image store provider"),
            ParameterDescriptor("protocol", .string, "the image store protocol"),
        ]
    ) { context in
        var filters: [(column: String, value: String)] = []
        if let zone = context.string("zoneid") { filters.append(("zone_id", zone)) }
        if let provider = context.string("provider") { filters.append(("provider", provider)) }
        if let scheme = context.string("protocol") { filters.append(("protocol_name", scheme)) }
        let store = context.server.store
        let page = try await store.list(ImageStore.self, try context.listQuery(filters))
        let names = try await HostResponses.load(store)
        let usage = try await StorageUsage.load(context.server)
        return .list(
            item: "imagestore",
            total: page.total,
            items: page.items.map { Self.render($0, zoneName: names.zones[$0.zoneId]?.name ?? "", usage: usage) }
        )
    }

    static let addImageStore = CommandDescriptor(
        "addImageStore",
        "Adds backup image store.",
        roles: admins,
        events: .unrecorded("adds an inventory row; no event recorded for it yet"),
        parameters: [
            ParameterDescriptor("provider", .string, required: true, "the image store provider name"),
            ParameterDescriptor("name", .string, "the name for the image store"),
            ParameterDescriptor("url", .string, "the URL for the image store"),
            ParameterDescriptor("zoneid", .uuid, "the Zone ID for the image store"),
            ParameterDescriptor("details", .map, "the details for the image store"),
        ]
    ) { context in
        let provider = try context.required("provider")
        guard provider.lowercased() == "nfs" else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "can't find image store provider by name \(provider); ZooStack simulates NFS image stores only"
            )
        }
        let url = try context.required("url")
        guard let parsed = URLComponents(string: url), let scheme = parsed.scheme, parsed.host != nil else {
            throw CloudError.invalidParameter(context.command, "url", url)
        }
        guard scheme.lowercased() == "nfs" else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Unsupported scheme for secondary storage: \(scheme)"
            )
        }
        let zone = try await context.entity(Zone.self, "zoneid")
        let store = ImageStore(
            id: UUID().uuidString.lowercased(),
            name: context.string("name") ?? url,
            zoneId: zone.id,
            url: url,
            capacity: Self.simulatedImageStoreBytes,
            created: Timestamp.now
        )
        try await context.server.store.insert(store)
        let usage = try await StorageUsage.load(context.server)
        return .object(name: "imagestore", Self.render(store, zoneName: zone.name, usage: usage))
    }

    static let deleteImageStore = CommandDescriptor(
        "deleteImageStore",
        "Deletes an image store or Secondary Storage.",
        roles: admins,
        events: .unrecorded("removes an inventory row; no event recorded for it yet"),
        parameters: [ParameterDescriptor("id", .uuid, required: true, "the image store ID or Secondary Storage ID")]
    ) { context in
        let imageStore = try await context.entity(ImageStore.self, "id")
        let store = context.server.store
        let siblings = try await store.list(ImageStore.self, ListQuery(equals: [("zone_id", imageStore.zoneId)]))
        if siblings.total <= 1, try await store.templateCount(zoneId: imageStore.zoneId) > 0 {
            throw CloudError(
                .resourceInUse,
                csErrorCode: 4375,
                "Cannot delete image store with active templates backup!"
            )
        }
        try await store.deleteImageStore(id: imageStore.id)
        return .flat([("success", .bool(true))])
    }

    /// CloudStack's ImageStoreResponse.
    static func render(_ store: ImageStore, zoneName: String, usage: StorageUsage) -> APIValue {
        .object([
            ("id", .string(store.id)), ("name", .string(store.name)), ("zoneid", .string(store.zoneId)),
            ("zonename", .string(zoneName)), ("url", .string(store.url)), ("protocol", .string(store.protocolName)),
            ("providername", .string(store.provider)), ("scope", .string("ZONE")), ("readonly", .bool(false)),
            ("disksizetotal", .int(store.capacity)), ("disksizeused", .int(usage.templateBytes[store.zoneId] ?? 0)),
        ])
    }
}

/// What storage holds: volumes on primary storage (each pool's `used`, reserved and released by compare-and-set
/// as volumes come and go) and templates on secondary storage (held by every image store of their zone).
struct StorageUsage {
    /// Zone → bytes of templates.
    let templateBytes: [String: Int]
    /// `storage.overprovisioning.factor`.
    let storageFactor: Double

    static func load(_ server: ManagementServer) async throws -> StorageUsage {
        StorageUsage(
            templateBytes: try await server.store.templateBytesByZone(),
            storageFactor: try await server.configuration.snapshot().double(
                GlobalSettings.Name.storageOverprovisioningFactor
            ) ?? 2
        )
    }

    /// The bytes allocated to volumes on a pool.
    func allocated(_ pool: StoragePool) -> Int { pool.used }
}
