import CloudModel
import CloudStore

/// The inventory tree hosts live in (CloudStack's `ConfigurationManager` and `ResourceManager` for zones, pods,
/// clusters and hosts): lists, lookups by UUID, and the names responses show.
public struct InfrastructureService: Sendable {
    let services: CloudServices
    var store: CloudStore { self.services.store }

    /// Zones, pods and clusters by UUID: the names host, capacity and migration responses show.
    public struct Tree: Sendable {
        /// Zones by UUID.
        public var zones: [String: Zone]
        /// Pods by UUID.
        public var pods: [String: Pod]
        /// Clusters by UUID.
        public var clusters: [String: Cluster]

        /// Creates a tree.
        public init(zones: [String: Zone] = [:], pods: [String: Pod] = [:], clusters: [String: Cluster] = [:]) {
            self.zones = zones
            self.pods = pods
            self.clusters = clusters
        }
    }

    /// The filters of listHosts.
    public struct HostFilter: Sendable {
        /// The zone's UUID.
        public var zoneId: String?
        /// The pod's UUID.
        public var podId: String?
        /// The cluster's UUID.
        public var clusterId: String?
        /// The host state (`Up`, ...).
        public var state: String?
        /// The resource state (`Enabled`, ...).
        public var resourceState: String?
        /// The host type; only `Routing` hosts exist.
        public var type: String?

        /// Creates a filter; every field is optional.
        public init(
            zoneId: String? = nil,
            podId: String? = nil,
            clusterId: String? = nil,
            state: String? = nil,
            resourceState: String? = nil,
            type: String? = nil
        ) {
            self.zoneId = zoneId
            self.podId = podId
            self.clusterId = clusterId
            self.state = state
            self.resourceState = resourceState
            self.type = type
        }
    }

    /// The real hosts' last measured use, by host id (one row per real host).
    /// - Throws: ``StoreError``.
    public func hostStats() async throws -> [String: HostStats] {
        Dictionary(try await self.store.list(HostStats.self).items.map { ($0.id, $0) }) { first, _ in first }
    }

    /// The stats of the given hosts only (a page of `listHosts`: not every host's row).
    /// - Parameter hostIds: the hosts.
    /// - Returns: host id → stats, for those that have any.
    /// - Throws: ``StoreError``.
    public func hostStats(of hostIds: [String]) async throws -> [String: HostStats] {
        guard !hostIds.isEmpty else { return [:] }
        let rows = try await self.store.list(HostStats.self, ListQuery(idIn: hostIds)).items
        return Dictionary(rows.map { ($0.id, $0) }) { first, _ in first }
    }

    /// Loads every zone, pod and cluster (three small queries, whatever the number of hosts).
    /// - Throws: ``StoreError``.
    public func tree() async throws -> Tree {
        func index<Row: StoreRow>(_ rows: [Row], _ id: KeyPath<Row, String>) -> [String: Row] {
            Dictionary(rows.map { ($0[keyPath: id], $0) }, uniquingKeysWith: { first, _ in first })
        }
        return Tree(
            zones: index(try await self.store.list(Zone.self).items, \.id),
            pods: index(try await self.store.list(Pod.self).items, \.id),
            clusters: index(try await self.store.list(Cluster.self).items, \.id)
        )
    }

    /// Zones (listZones).
    /// - Throws: 431 for bad paging.
    public func zones(_ access: Access, _ request: ListRequest) async throws -> ListPage<Zone> {
        try await self.store.list(Zone.self, try access.query(request))
    }

    /// Pods, optionally of a zone (listPods), with the zones they are in.
    /// - Throws: 431 for bad paging.
    public func pods(
        _ access: Access,
        _ request: ListRequest,
        zoneId: String?
    ) async throws -> (page: ListPage<Pod>, zones: [String: Zone]) {
        let filters = zoneId.map { [("zone_id", $0)] } ?? []
        let page = try await self.store.list(Pod.self, try access.query(request, filters))
        var zones: [String: Zone] = [:]
        for pod in page.items where zones[pod.zoneId] == nil {
            if let zone = try await self.store.get(Zone.self, id: pod.zoneId) { zones[zone.id] = zone }
        }
        return (page, zones)
    }

    /// Clusters, optionally of a zone or pod (listClusters).
    /// - Throws: 431 for bad paging.
    public func clusters(
        _ access: Access,
        _ request: ListRequest,
        zoneId: String?,
        podId: String?
    ) async throws -> ListPage<Cluster> {
        var filters: [(column: String, value: String)] = []
        if let zoneId { filters.append(("zone_id", zoneId)) }
        if let podId { filters.append(("pod_id", podId)) }
        return try await self.store.list(Cluster.self, try access.query(request, filters))
    }

    /// Hosts (listHosts); none for a type other than `Routing`.
    /// - Throws: 431 for bad paging.
    public func hosts(
        _ access: Access,
        _ request: ListRequest,
        _ filter: HostFilter
    ) async throws -> ListPage<CloudModel.Host> {
        var filters: [(column: String, value: String)] = []
        for (value, column) in [
            (filter.zoneId, "zone_id"), (filter.podId, "pod_id"), (filter.clusterId, "cluster_id"),
            (filter.state, "state"), (filter.resourceState, "resource_state"),
        ] {
            if let value { filters.append((column, value)) }
        }
        if let type = filter.type, type != "Routing" { return ListPage(total: 0, items: []) }
        return try await self.store.list(CloudModel.Host.self, try access.query(request, filters))
    }

    /// The zone with this UUID.
    /// - Throws: 431 naming `parameter` when unknown.
    public func zone(_ access: Access, id: String, parameter: String = "zoneid") async throws -> Zone {
        try await self.row(Zone.self, access, id: id, parameter: parameter)
    }

    /// The pod with this UUID.
    /// - Throws: 431 naming `parameter` when unknown.
    public func pod(_ access: Access, id: String, parameter: String = "podid") async throws -> Pod {
        try await self.row(Pod.self, access, id: id, parameter: parameter)
    }

    /// The cluster with this UUID.
    /// - Throws: 431 naming `parameter` when unknown.
    public func cluster(_ access: Access, id: String, parameter: String = "clusterid") async throws -> Cluster {
        try await self.row(Cluster.self, access, id: id, parameter: parameter)
    }

    /// The host with this UUID.
    /// - Throws: 431 naming `parameter` when unknown.
    public func host(_ access: Access, id: String, parameter: String = "id") async throws -> CloudModel.Host {
        try await self.row(CloudModel.Host.self, access, id: id, parameter: parameter)
    }

    func row<Row: StoreRow>(_ type: Row.Type, _ access: Access, id: String, parameter: String) async throws -> Row {
        guard let row = try await self.store.get(Row.self, id: id) else { throw access.unknown(parameter, id) }
        return row
    }

}

extension CloudServices {
    /// Zones, pods, clusters and hosts.
    public var infrastructure: InfrastructureService { InfrastructureService(services: self) }
}
