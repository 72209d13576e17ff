import CloudModel
import CloudStore
import Foundation

/// Seeds a simulated zone on first start: zone, pod, cluster, simulator hosts, primary storage, a guest network,
/// default templates and offerings (the shape of CloudStack's `setup/dev/advanced.cfg` simulator config).
public enum SimulatedZoneSeeder {
    /// Seeds the inventory unless a zone already exists.
    /// - Parameters:
    ///   - store: the store.
    ///   - systemAccountId: the owner of the default templates.
    ///   - hostCount: simulator hosts to create.
    /// - Returns: true when it seeded.
    /// - Throws: ``StoreError``.
    @discardableResult
    public static func seedIfEmpty(
        store: CloudStore,
        systemAccountId: String,
        hostCount: Int = 4
    )
        async throws(StoreError) -> Bool
    {
        guard try await store.count(Zone.self) == 0 else { return false }
        func uuid() -> String { UUID().uuidString.lowercased() }
        let now = store.clock.now
        let zone = Zone(id: uuid(), name: "Sandbox-simulator")
        try await store.insert(zone)
        let pod = Pod(id: uuid(), name: "POD0", zoneId: zone.id, gateway: "172.16.15.1", netmask: "255.255.255.0")
        try await store.insert(pod)
        let cluster = Cluster(id: uuid(), name: "C0", podId: pod.id, zoneId: zone.id, hypervisor: "Simulator")
        try await store.insert(cluster)
        for index in 0..<hostCount {
            try await store.insert(
                CloudModel.Host(
                    id: uuid(),
                    name: "SimulatedAgent.\(index)",
                    zoneId: zone.id,
                    podId: pod.id,
                    clusterId: cluster.id,
                    ipAddress: "172.16.15.\(10 + index)",
                    hypervisor: "Simulator",
                    cpuNumber: 4,
                    cpuSpeed: 8000,
                    memory: 8 * 1024 * 1024 * 1024
                )
            )
        }
        try await store.insert(
            StoragePool(
                id: uuid(),
                name: "PS0",
                zoneId: zone.id,
                clusterId: cluster.id,
                capacity: 1 << 40
            )
        )
        try await store.insert(
            ImageStore(
                id: uuid(),
                name: "SS0",
                zoneId: zone.id,
                url: "nfs://10.147.28.6/export/home/sandbox/secondary",
                capacity: 1 << 40,
                created: now
            )
        )
        try await store.insert(
            Network(
                id: uuid(),
                name: "defaultGuestNetwork",
                zoneId: zone.id,
                gateway: "10.1.1.1",
                netmask: "255.255.255.0",
                startIp: "10.1.1.2",
                endIp: "10.1.1.254"
            )
        )
        for (name, os) in [
            ("CentOS 5.6(64-bit) no GUI (Simulator)", "CentOS 5.6 (64-bit)"),
            ("Ubuntu 22.04 (Simulator)", "Ubuntu 22.04 LTS"),
        ] {
            try await store.insert(
                Template(
                    id: uuid(),
                    name: name,
                    displayText: name,
                    format: "VHD",
                    hypervisor: "Simulator",
                    osTypeName: os,
                    url: "http://simulator/\(name.hashValue)",
                    isPublic: true,
                    isFeatured: true,
                    accountId: systemAccountId,
                    zoneId: zone.id,
                    status: "Download Complete",
                    isReady: true,
                    size: 2 * 1024 * 1024 * 1024,
                    created: now
                )
            )
        }
        try await store.insert(
            ServiceOffering(
                id: uuid(),
                name: "Small Instance",
                displayText: "Small Instance",
                cpuNumber: 1,
                cpuSpeed: 500,
                memory: 512,
                created: now
            )
        )
        try await store.insert(
            ServiceOffering(
                id: uuid(),
                name: "Medium Instance",
                displayText: "Medium Instance",
                cpuNumber: 1,
                cpuSpeed: 1000,
                memory: 1024,
                created: now
            )
        )
        return true
    }

    /// Gives an image store to every zone that holds templates but has none: the state of a database created
    /// before image stores existed (deleting a zone's last image store is refused while it holds templates, so
    /// no other way leads there).
    /// - Parameter store: the store.
    /// - Returns: how many image stores were added.
    /// - Throws: ``StoreError``.
    @discardableResult
    public static func ensureImageStores(store: CloudStore) async throws(StoreError) -> Int {
        var added = 0
        for zone in try await store.list(Zone.self).items {
            let stores = try await store.list(ImageStore.self, ListQuery(equals: [("zone_id", zone.id)], pageSize: 0))
            guard stores.total == 0, try await store.templateCount(zoneId: zone.id) > 0 else { continue }
            try await store.insert(
                ImageStore(
                    id: UUID().uuidString.lowercased(),
                    name: "SS0",
                    zoneId: zone.id,
                    url: "nfs://10.147.28.6/export/home/sandbox/secondary",
                    capacity: 1 << 40,
                    created: store.clock.now
                )
            )
            added += 1
        }
        return added
    }
}
