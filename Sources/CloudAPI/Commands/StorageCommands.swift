import CloudCore
import CloudModel

/// Primary storage pools (listStoragePools) and secondary storage (addImageStore, listImageStores,
/// deleteImageStore); root admin only.
enum StorageCommands {
    static var all: [CommandDescriptor] { [listStoragePools, listImageStores, addImageStore, deleteImageStore] }

    static let admins: Set<Role> = [.rootAdmin]

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
        let pools = context.core.storagePools
        let (page, names) = try await pools.list(
            context.access,
            context.listRequest,
            zoneId: context.string("zoneid"),
            clusterId: context.string("clusterid"),
            podId: context.string("podid")
        )
        let usage = try await pools.usage()
        let items = page.items.map { pool -> APIValue in
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
        return .list(item: "storagepool", total: page.total, items: items)
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
        let pools = context.core.storagePools
        let page = try await pools.imageStores(
            context.access,
            context.listRequest,
            zoneId: context.string("zoneid"),
            provider: context.string("provider"),
            protocolName: context.string("protocol")
        )
        let names = try await pools.locations()
        let usage = try await pools.usage()
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
        let pools = context.core.storagePools
        let (imageStore, zone) = try await pools.addImageStore(
            context.access,
            provider: try context.required("provider"),
            name: context.string("name"),
            url: context.string("url"),
            zoneId: context.string("zoneid")
        )
        let usage = try await pools.usage()
        return .object(name: "imagestore", Self.render(imageStore, zoneName: zone.name, usage: usage))
    }

    static let deleteImageStore = CommandDescriptor(
        "deleteImageStore",
        "Deletes an image store or Secondary Storage.",
        roles: admins,
        events: .unrecorded("removes an inventory row; no event recorded for it yet"),
        parameters: [ParameterDescriptor("id", .uuid, required: true, "the image store ID or Secondary Storage ID")]
    ) { context in
        try await context.core.storagePools.deleteImageStore(context.access, id: try context.required("id"))
        return .flat([("success", .bool(true))])
    }

    /// CloudStack's ImageStoreResponse.
    static func render(_ image: ImageStore, zoneName: String, usage: StorageUsage) -> APIValue {
        .object([
            ("id", .string(image.id)), ("name", .string(image.name)), ("zoneid", .string(image.zoneId)),
            ("zonename", .string(zoneName)), ("url", .string(image.url)), ("protocol", .string(image.protocolName)),
            ("providername", .string(image.provider)), ("scope", .string("ZONE")), ("readonly", .bool(false)),
            ("disksizetotal", .int(image.capacity)), ("disksizeused", .int(usage.templateBytes[image.zoneId] ?? 0)),
        ])
    }
}

extension StorageUsage {
    /// What storage holds now (``StoragePoolService/usage()``).
    static func load(_ server: ManagementServer) async throws -> StorageUsage {
        try await server.core.storagePools.usage()
    }
}
