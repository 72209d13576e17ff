import CloudModel
import CloudStore
import Orchestrator

/// listCapacity: memory, CPU, primary storage used and allocated, and secondary storage, per zone, or per pod or
/// cluster (CloudStack's capacity levels).
public struct CapacityService: Sendable {
    let services: CloudServices
    var store: CloudStore { self.services.store }

    /// CloudStack's capacity types (com.cloud.capacity.Capacity) ZooStack reports.
    public enum Kind {
        /// Memory (bytes are MB here, as hosts count them).
        public static let memory = 0
        /// CPU (MHz).
        public static let cpu = 1
        /// Primary storage used.
        public static let storage = 2
        /// Primary storage allocated, over the overprovisioning factor.
        public static let storageAllocated = 3
        /// Secondary storage.
        public static let secondaryStorage = 6
    }

    /// One capacity of one zone, pod or cluster.
    public struct Row: Sendable {
        /// The capacity type (``Kind``).
        public var type: Int
        /// The total.
        public var total: Int
        /// The used (allocated) part.
        public var used: Int
        /// The zone.
        public var zone: Zone
        /// The pod, for pod and cluster rows.
        public var pod: Pod?
        /// The cluster, for cluster rows.
        public var cluster: Cluster?

        /// The used part in percent, 0 when there is no total.
        public var percent: Double { self.total > 0 ? Double(self.used) / Double(self.total) * 100 : 0 }
    }

    /// What listCapacity asks for.
    public struct Request: Sendable {
        /// Only this zone's rows.
        public var zoneId: String?
        /// The rows of this pod (instead of zones).
        public var podId: String?
        /// The rows of this cluster (instead of zones or a pod).
        public var clusterId: String?
        /// Only this capacity type.
        public var type: Int?
        /// Highest usage first.
        public var sortByUsage: Bool

        /// Creates a request.
        public init(
            zoneId: String? = nil,
            podId: String? = nil,
            clusterId: String? = nil,
            type: Int? = nil,
            sortByUsage: Bool = false
        ) {
            self.zoneId = zoneId
            self.podId = podId
            self.clusterId = clusterId
            self.type = type
            self.sortByUsage = sortByUsage
        }
    }

    /// The capacities asked for, paged.
    /// - Throws: 431 for bad paging.
    public func list(_ access: Access, _ list: ListRequest, _ request: Request) async throws -> ListPage<Row> {
        var rows = try await self.rows(request)
        if let type = request.type { rows = rows.filter { $0.type == type } }
        if request.sortByUsage { rows.sort { $0.percent > $1.percent } }
        return try access.pageInMemory(rows, list)
    }

    /// The rows of the units asked for (every zone, or one pod or cluster), unfiltered by type.
    func rows(_ request: Request) async throws -> [Row] {
        let names = try await self.services.infrastructure.tree()
        let hosts = try await self.store.list(CloudModel.Host.self).items
        let pools = try await self.store.list(StoragePool.self).items
        let imageStores = try await self.store.list(ImageStore.self).items
        let templateBytes = try await self.store.templateBytesByZone()
        let storageFactor =
            try await self.services.configuration.snapshot().double(
                GlobalSettings.Name.storageOverprovisioningFactor
            ) ?? 2
        // Units at the asked level, each with a test for hosts and pools belonging to it.
        var units: [(zone: Zone, pod: Pod?, cluster: Cluster?)] = []
        if let clusterFilter = request.clusterId {
            if let cluster = names.clusters[clusterFilter], let zone = names.zones[cluster.zoneId] {
                units.append((zone, names.pods[cluster.podId], cluster))
            }
        } else if let podFilter = request.podId {
            if let pod = names.pods[podFilter], let zone = names.zones[pod.zoneId] { units.append((zone, pod, nil)) }
        } else {
            units = names.zones.values.sorted { $0.name < $1.name }.map { ($0, nil, nil) }
        }
        var rows: [Row] = []
        for unit in units where request.zoneId == nil || unit.zone.id == request.zoneId {
            func inUnit(zoneId: String, clusterId: String) -> Bool {
                guard zoneId == unit.zone.id else { return false }
                if let cluster = unit.cluster { return clusterId == cluster.id }
                if let pod = unit.pod { return names.clusters[clusterId]?.podId == pod.id }
                return true
            }
            let unitHosts = hosts.filter { inUnit(zoneId: $0.zoneId, clusterId: $0.clusterId) }
            let unitPools = pools.filter { inUnit(zoneId: $0.zoneId, clusterId: $0.clusterId) }
            func row(_ type: Int, _ total: Int, _ used: Int) -> Row {
                Row(type: type, total: total, used: used, zone: unit.zone, pod: unit.pod, cluster: unit.cluster)
            }
            rows.append(
                row(
                    Kind.memory,
                    unitHosts.map { Int(saturating: Double($0.memory) * $0.memOverprovisioning) }.saturatingSum(),
                    unitHosts.map(\.memUsed).saturatingSum()
                )
            )
            rows.append(
                row(
                    Kind.cpu,
                    unitHosts.map { Int(saturating: Double($0.cpuTotal) * $0.cpuOverprovisioning) }.saturatingSum(),
                    unitHosts.map(\.cpuUsed).saturatingSum()
                )
            )
            let poolTotal = unitPools.map(\.capacity).saturatingSum()
            // The bytes allocated to volumes on a pool: its `used`.
            let poolAllocated = unitPools.map(\.used).saturatingSum()
            rows.append(row(Kind.storage, poolTotal, poolAllocated))
            rows.append(row(Kind.storageAllocated, Int(saturating: Double(poolTotal) * storageFactor), poolAllocated))
            if unit.pod == nil && unit.cluster == nil {
                let stores = imageStores.filter { $0.zoneId == unit.zone.id }
                let used = stores.isEmpty ? 0 : templateBytes[unit.zone.id] ?? 0
                rows.append(row(Kind.secondaryStorage, stores.map(\.capacity).saturatingSum(), used))
            }
        }
        return rows
    }
}

extension CloudServices {
    /// The capacities of zones, pods and clusters.
    public var capacity: CapacityService { CapacityService(services: self) }
}
