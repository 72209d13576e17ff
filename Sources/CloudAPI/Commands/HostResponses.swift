import CloudCore
import CloudModel

/// CloudStack's HostResponse for routing (hypervisor) hosts, with zone, pod and cluster names.
struct HostResponses {
    let zones: [String: Zone]
    let pods: [String: Pod]
    let clusters: [String: Cluster]
    /// The cluster's services, for each host's managing server (`managementserverid`); nil outside a cluster.
    var cluster: (any ClusterServices)? = nil
    /// The real hosts' measured use (`cpuused`, `memoryused`).
    var stats: [String: HostStats] = [:]

    /// Loads the names the responses need (three small queries, whatever the number of hosts).
    /// - Parameters:
    ///   - core: the core.
    ///   - cluster: the cluster, whose host owners fill `managementserverid`.
    ///   - hostIds: the hosts to be rendered, whose stats are read (nil: every host's).
    static func load(
        core: CloudServices,
        cluster: (any ClusterServices)? = nil,
        hostIds: [String]? = nil
    ) async throws -> HostResponses {
        let tree = try await core.infrastructure.tree()
        let stats: [String: HostStats]
        if let hostIds {
            stats = try await core.infrastructure.hostStats(of: hostIds)
        } else {
            stats = try await core.infrastructure.hostStats()
        }
        return HostResponses(
            zones: tree.zones,
            pods: tree.pods,
            clusters: tree.clusters,
            cluster: cluster,
            stats: stats
        )
    }

    /// One host.
    func render(_ host: Host) -> APIValue {
        let cpuTotal = Double(host.cpuTotal) * host.cpuOverprovisioning
        let memoryTotal = Double(host.memory) * host.memOverprovisioning
        let cpuPercent = EntityResponses.percent(Double(host.cpuUsed), of: Double(host.cpuTotal))
        let memoryPercent = EntityResponses.percent(Double(host.memUsed), of: Double(host.memory))
        var members: [(String, APIValue)] = [
            ("id", .string(host.id)), ("name", .string(host.name)), ("state", .string(host.state)),
            ("resourcestate", .string(host.resourceState)), ("type", .string("Routing")),
            ("ipaddress", .string(host.ipAddress)), ("zoneid", .string(host.zoneId)),
            ("zonename", .string(self.zones[host.zoneId]?.name ?? "")), ("podid", .string(host.podId)),
            ("podname", .string(self.pods[host.podId]?.name ?? "")), ("clusterid", .string(host.clusterId)),
            ("clustername", .string(self.clusters[host.clusterId]?.name ?? "")),
            ("clustertype", .string("CloudManaged")), ("hypervisor", .string(host.hypervisor)),
            ("cpunumber", .int(host.cpuNumber)), ("cpuspeed", .int(host.cpuSpeed)),
            ("cpuallocated", .string(cpuPercent)), ("cpuallocatedvalue", .int(host.cpuUsed)),
            ("cpuallocatedpercentage", .string(cpuPercent)),
            ("cpuallocatedwithoverprovisioning", .string(EntityResponses.percent(Double(host.cpuUsed), of: cpuTotal))),
            ("cpuused", .string(self.stats[host.id].map { "\(($0.cpuUsedPercent * 100).rounded() / 100)%" } ?? "0%")),
            ("cpuwithoverprovisioning", .string(String(cpuTotal))),
            ("memorytotal", .int(host.memory)), ("memorywithoverprovisioning", .string(String(memoryTotal))),
            ("memoryallocated", .int(host.memUsed)), ("memoryallocatedbytes", .int(host.memUsed)),
            ("memoryallocatedpercentage", .string(memoryPercent)),
            ("memoryused", .int(self.stats[host.id]?.memoryUsed ?? host.memUsed)),
            ("hosttags", .string(host.hostTags)), ("hahost", .bool(false)), ("islocalstorageactive", .bool(false)),
            ("version", .string("4.19.0")), ("events", .string("")),
        ]
        if let owner = self.cluster?.hostOwner(host.id) { members.append(("managementserverid", .string(owner))) }
        // ZooStack's: how a real (QEMU) host runs guests, kvm or tcg.
        if let accelerator = host.accelerator { members.append(("accelerator", .string(accelerator))) }
        return .object(members)
    }
}
