import CloudModel
import CloudStore

/// updateZone, deleteZone, updatePod, deletePod, updateCluster and deleteCluster (CloudStack's
/// `ConfigurationManagerImpl` and `ResourceManagerImpl`): renames and settings, and removal of what holds nothing.
extension InfrastructureService {
    /// What updateZone changes; nil leaves a field as it is.
    public struct ZoneUpdate: Sendable {
        /// `name`.
        public var name: String?
        /// `allocationstate`.
        public var allocationState: String?
        /// `dns1`, `dns2`, `internaldns1`, `internaldns2`.
        public var dns1, dns2, internalDns1, internalDns2: String?
        /// `domain`.
        public var domain: String?

        /// Creates an update.
        public init(
            name: String? = nil,
            allocationState: String? = nil,
            dns1: String? = nil,
            dns2: String? = nil,
            internalDns1: String? = nil,
            internalDns2: String? = nil,
            domain: String? = nil
        ) {
            self.name = name
            self.allocationState = allocationState
            self.dns1 = dns1
            self.dns2 = dns2
            self.internalDns1 = internalDns1
            self.internalDns2 = internalDns2
            self.domain = domain
        }

        /// Sets a zone's DNS servers and domain from the update (createZone's too).
        /// - Throws: 431 naming a DNS server that is no IPv4 address.
        func apply(to zone: inout Zone, command: String) throws(CloudError) {
            for (parameter, value) in [
                ("dns1", self.dns1), ("dns2", self.dns2), ("internaldns1", self.internalDns1),
                ("internaldns2", self.internalDns2),
            ] {
                if let value, !InfrastructureService.isIPv4(value) {
                    throw CloudError.invalidParameter(command, parameter, value)
                }
            }
            zone.dns1 = self.dns1 ?? zone.dns1
            zone.dns2 = self.dns2 ?? zone.dns2
            zone.internalDns1 = self.internalDns1 ?? zone.internalDns1
            zone.internalDns2 = self.internalDns2 ?? zone.internalDns2
            zone.domain = self.domain ?? zone.domain
        }
    }

    /// Updates a zone (updateZone).
    /// - Throws: 431 for an unknown zone, a taken name, a bad allocation state or DNS server.
    public func updateZone(_ access: Access, id: String, _ update: ZoneUpdate) async throws -> Zone {
        var zone = try await self.zone(access, id: id, parameter: "id")
        if let name = update.name, name != zone.name {
            let existing = try await self.store.list(Zone.self, ListQuery(equals: [("name", name)]))
            guard existing.total == 0 else {
                throw CloudError(
                    .paramError,
                    csErrorCode: 4350,
                    "A zone with that name already exists. Please specify a unique zone name."
                )
            }
            zone.name = name
        }
        if update.allocationState != nil { zone.allocationState = try Self.allocationState(update.allocationState) }
        try update.apply(to: &zone, command: access.command)
        try await self.store.replace(zone, id: zone.id)
        return zone
    }

    /// Deletes a zone with no pods, hosts, storage pools, networks, public addresses or VMs
    /// (`checkIfZoneIsDeletable`).
    /// - Throws: 431 for an unknown zone; 530 naming what the zone still holds.
    public func deleteZone(_ access: Access, id: String) async throws {
        let zone = try await self.zone(access, id: id, parameter: "id")
        let held: [(String, Int)] = [
            ("pods", try await self.count(Pod.self, zoneId: zone.id)),
            ("servers", try await self.count(CloudModel.Host.self, zoneId: zone.id)),
            ("storage pools", try await self.count(StoragePool.self, zoneId: zone.id)),
            ("networks", try await self.count(Network.self, zoneId: zone.id)),
            ("public IP addresses", try await self.count(PublicIPAddress.self, zoneId: zone.id)),
            ("virtual machines", try await self.count(VirtualMachine.self, zoneId: zone.id)),
        ]
        if let (what, _) = held.first(where: { $0.1 > 0 }) {
            throw CloudError(
                .internalError,
                csErrorCode: 4250,
                "The zone is not deletable because there are \(what) in this zone"
            )
        }
        try await self.store.delete(Zone.self, id: zone.id)
    }

    func count<Row: StoreRow>(_ type: Row.Type, zoneId: String, column: String = "zone_id") async throws -> Int {
        var query = ListQuery(equals: [(column, zoneId)])
        query.pageSize = 1
        return try await self.store.list(type, query).total
    }

    /// Renames a pod or changes its gateway and netmask (updatePod).
    /// - Returns: the pod and its zone.
    /// - Throws: 431 for an unknown pod, a name taken in the zone, a gateway or netmask that is no IPv4 address.
    public func updatePod(
        _ access: Access,
        id: String,
        name: String?,
        gateway: String?,
        netmask: String?
    ) async throws -> (pod: Pod, zone: Zone?) {
        var pod = try await self.pod(access, id: id, parameter: "id")
        for (parameter, value) in [("gateway", gateway), ("netmask", netmask)] {
            if let value, !Self.isIPv4(value) { throw CloudError.invalidParameter(access.command, parameter, value) }
        }
        if let name, name != pod.name {
            let existing = try await self.store.list(
                Pod.self,
                ListQuery(equals: [("zone_id", pod.zoneId), ("name", name)])
            )
            guard existing.total == 0 else {
                throw CloudError(
                    .paramError,
                    csErrorCode: 4350,
                    "A pod with name: \(name) already exists in zone \(pod.zoneId). Please specify a different pod name. "
                )
            }
            pod.name = name
        }
        pod.gateway = gateway ?? pod.gateway
        pod.netmask = netmask ?? pod.netmask
        try await self.store.replace(pod, id: pod.id)
        return (pod, try await self.store.get(Zone.self, id: pod.zoneId))
    }

    /// Deletes a pod with no clusters or hosts (`checkIfPodIsDeletable`).
    /// - Throws: 431 for an unknown pod; 530 naming what the pod still holds.
    public func deletePod(_ access: Access, id: String) async throws {
        let pod = try await self.pod(access, id: id, parameter: "id")
        if try await self.count(CloudModel.Host.self, zoneId: pod.id, column: "pod_id") > 0 {
            throw CloudError(
                .internalError,
                csErrorCode: 4250,
                "The pod is not deletable because there are servers in this pod"
            )
        }
        if try await self.count(Cluster.self, zoneId: pod.id, column: "pod_id") > 0 {
            throw CloudError(
                .internalError,
                csErrorCode: 4250,
                "The pod is not deletable because there are clusters in this pod"
            )
        }
        try await self.store.delete(Pod.self, id: pod.id)
    }

    /// Renames a cluster (updateCluster `clustername`).
    /// - Throws: 431 for an unknown cluster or a name taken in its pod.
    public func updateCluster(_ access: Access, id: String, name: String?) async throws -> Cluster {
        var cluster = try await self.cluster(access, id: id, parameter: "id")
        if let name, name != cluster.name {
            let existing = try await self.store.list(
                Cluster.self,
                ListQuery(equals: [("pod_id", cluster.podId), ("name", name)])
            )
            guard existing.total == 0 else {
                throw CloudError(.paramError, csErrorCode: 4350, "Cluster: \(name) already exists")
            }
            cluster.name = name
        }
        try await self.store.replace(cluster, id: cluster.id)
        return cluster
    }

    /// Deletes a cluster with no hosts or storage pools (ResourceManagerImpl's `deleteCluster`).
    /// - Throws: 431 for an unknown cluster; 530 when it still has hosts or storage pools.
    public func deleteCluster(_ access: Access, id: String) async throws {
        let cluster = try await self.cluster(access, id: id, parameter: "id")
        if try await self.count(CloudModel.Host.self, zoneId: cluster.id, column: "cluster_id") > 0 {
            throw CloudError(
                .internalError,
                csErrorCode: 4250,
                "Cluster: \(cluster.id) cannot be removed. Cluster still has hosts"
            )
        }
        if try await self.count(StoragePool.self, zoneId: cluster.id, column: "cluster_id") > 0 {
            throw CloudError(
                .internalError,
                csErrorCode: 4250,
                "Cluster: \(cluster.id) cannot be removed. Cluster still has storage pools"
            )
        }
        try await self.store.delete(Cluster.self, id: cluster.id)
    }
}
