import CloudModel
import CloudStore
import Foundation
import Orchestrator

/// createZone, createPod, addCluster and addHost: growing the inventory tree.
extension InfrastructureService {
    /// What addHost asks for.
    public struct NewHost: Sendable {
        /// The zone's UUID.
        public var zoneId: String
        /// The pod's UUID.
        public var podId: String
        /// The host URL (`http://sim/c0/h0`, ...).
        public var url: String
        /// The hypervisor; only `Simulator` hosts can be added.
        public var hypervisor: String
        /// The cluster's UUID.
        public var clusterId: String?
        /// The cluster's name in the pod, when `clusterId` is nil.
        public var clusterName: String?
        /// The host tags.
        public var hostTags: String
        /// `Disabled` adds the host disabled.
        public var allocationState: String?
        /// Simulator CPU cores.
        public var cpuNumber: Int?
        /// Simulator MHz per core.
        public var cpuSpeed: Int?
        /// Simulator memory in MB.
        public var memoryMiB: Int?

        /// Creates a request.
        public init(
            zoneId: String,
            podId: String,
            url: String,
            hypervisor: String,
            clusterId: String? = nil,
            clusterName: String? = nil,
            hostTags: String = "",
            allocationState: String? = nil,
            cpuNumber: Int? = nil,
            cpuSpeed: Int? = nil,
            memoryMiB: Int? = nil
        ) {
            self.zoneId = zoneId
            self.podId = podId
            self.url = url
            self.hypervisor = hypervisor
            self.clusterId = clusterId
            self.clusterName = clusterName
            self.hostTags = hostTags
            self.allocationState = allocationState
            self.cpuNumber = cpuNumber
            self.cpuSpeed = cpuSpeed
            self.memoryMiB = memoryMiB
        }
    }

    /// Creates a zone (createZone).
    /// - Parameters:
    ///   - access: the caller's access.
    ///   - name: a name no zone has.
    ///   - networkType: `Basic` or `Advanced`, in any case.
    ///   - allocationState: `Enabled` (default) or `Disabled`, in any case.
    ///   - network: the DNS servers and network domain (its name and allocation state are not used).
    /// - Throws: 431 for a bad network type, allocation state or DNS server, or a taken name.
    public func createZone(
        _ access: Access,
        name: String,
        networkType: String,
        allocationState: String?,
        network: ZoneUpdate = ZoneUpdate()
    ) async throws -> Zone {
        guard let type = ["Basic", "Advanced"].first(where: { $0.lowercased() == networkType.lowercased() }) else {
            throw CloudError.invalidParameter(access.command, "networktype", networkType)
        }
        let state = try Self.allocationState(allocationState)
        let existing = try await self.store.list(Zone.self, ListQuery(equals: [("name", name)]))
        guard existing.total == 0 else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "A zone with that name already exists. Please specify a unique zone name."
            )
        }
        var zone = Zone(id: UUID().uuidString.lowercased(), name: name, networkType: type, allocationState: state)
        try network.apply(to: &zone, command: access.command)
        try await self.store.insert(zone)
        return zone
    }

    /// Creates a pod in a zone (createPod).
    /// - Returns: the pod and its zone.
    /// - Throws: 431 for an unknown zone, a gateway or netmask that is no IPv4 address, or a name taken in the zone.
    public func createPod(
        _ access: Access,
        zoneId: String,
        name: String,
        gateway: String,
        netmask: String
    ) async throws -> (pod: Pod, zone: Zone) {
        let zone = try await self.zone(access, id: zoneId)
        for (parameter, value) in [("gateway", gateway), ("netmask", netmask)] {
            guard Self.isIPv4(value) else { throw CloudError.invalidParameter(access.command, parameter, value) }
        }
        let existing = try await self.store.list(Pod.self, ListQuery(equals: [("zone_id", zone.id), ("name", name)]))
        guard existing.total == 0 else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "A pod with name: \(name) already exists in zone \(zone.id). Please specify a different pod name. "
            )
        }
        let pod = Pod(
            id: UUID().uuidString.lowercased(),
            name: name,
            zoneId: zone.id,
            gateway: gateway,
            netmask: netmask
        )
        try await self.store.insert(pod)
        return (pod, zone)
    }

    /// Adds a CloudManaged Simulator cluster to a pod (addCluster).
    /// - Throws: 431 for an unknown zone or pod, a pod of another zone, another cluster type or hypervisor, or a
    ///   name taken in the pod.
    public func addCluster(
        _ access: Access,
        zoneId: String,
        podId: String,
        name: String,
        clusterType: String,
        hypervisor: String
    ) async throws -> Cluster {
        let zone = try await self.zone(access, id: zoneId)
        let pod = try await self.pod(access, id: podId)
        guard pod.zoneId == zone.id else {
            throw CloudError(.paramError, csErrorCode: 4350, "Pod \(pod.id) doesn't belong to the zone \(zone.id)")
        }
        guard clusterType.lowercased() == "cloudmanaged" else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Unable to resolve \(clusterType) to a supported type: ZooStack manages CloudManaged clusters"
            )
        }
        guard hypervisor.lowercased() == "simulator" else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Unable to add cluster of hypervisor \(hypervisor): ZooStack has only Simulator hosts"
            )
        }
        let existing = try await self.store.list(
            Cluster.self,
            ListQuery(equals: [("pod_id", pod.id), ("name", name)])
        )
        guard existing.total == 0 else {
            throw CloudError(.paramError, csErrorCode: 4350, "Cluster: \(name) already exists")
        }
        let cluster = Cluster(
            id: UUID().uuidString.lowercased(),
            name: name,
            podId: pod.id,
            zoneId: zone.id,
            hypervisor: "Simulator"
        )
        try await self.store.insert(cluster)
        return cluster
    }

    /// Adds a Simulator host to a cluster (addHost), disabled when asked.
    /// - Throws: 431 for an unknown zone, another hypervisor or no cluster; ``HostService`` errors.
    public func addHost(_ access: Access, _ request: NewHost) async throws -> CloudModel.Host {
        let zone = try await self.zone(access, id: request.zoneId)
        guard request.hypervisor.lowercased() == "simulator" else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Unable to add host: ZooStack has no agent for hypervisor \(request.hypervisor); only Simulator hosts can be added"
            )
        }
        var clusterId = request.clusterId
        if clusterId == nil, let name = request.clusterName {
            clusterId = try await self.store.list(
                Cluster.self,
                ListQuery(equals: [("name", name), ("pod_id", request.podId)])
            ).items.first?.id
        }
        guard let clusterId else {
            throw CloudError(.paramError, csErrorCode: 4350, "must specify cluster Id when adding host")
        }
        let host = try await self.services.hosts.addSimulatorHost(
            .init(
                zoneId: zone.id,
                podId: request.podId,
                clusterId: clusterId,
                url: request.url,
                hostTags: request.hostTags,
                cpuNumber: request.cpuNumber,
                cpuSpeed: request.cpuSpeed,
                memoryMiB: request.memoryMiB
            )
        )
        guard let state = request.allocationState, state.lowercased() == "disabled" else { return host }
        return try await self.services.hosts.update(id: host.id, allocationState: "Disable", hostTags: nil)
    }

    /// Whether `text` is a dotted-quad IPv4 address.
    public static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in (part.count <= 3) && (UInt8(part) != nil) }
    }

    /// An allocation state, `Enabled` when nil.
    /// - Throws: 431 for anything but `Enabled` or `Disabled` (in any case).
    static func allocationState(_ state: String?) throws(CloudError) -> String {
        guard let state else { return "Enabled" }
        guard let known = ["Enabled", "Disabled"].first(where: { $0.lowercased() == state.lowercased() }) else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Unable to resolve Allocation State '\(state)' to a supported state"
            )
        }
        return known
    }
}
