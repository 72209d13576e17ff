/// One pass over the hosts of a zone: each cluster's aggregate capacity and account VM count, and its suitable
/// hosts (step 1 of `DeploymentPlanner`).
struct PlacementScan {
    /// One cluster seen in the pass.
    struct Cluster {
        var id: String
        var podId: String
        var cpuFactor: Double
        var memoryFactor: Double
        /// The cluster or its pod is in the request's avoid set.
        var avoided: Bool
        /// Sum over the cluster's Up and Enabled hosts (CloudStack sums `op_host_capacity` rows of enabled hosts).
        var cpu: Capacity
        var memory: Capacity
        /// The account's VMs on all the cluster's hosts.
        var accountVMs = 0
        /// Indices (into the hosts array) of the suitable hosts, in the order given.
        var suitable: [Int] = []
    }

    let request: PlacementRequest
    let settings: PlacementSettings
    let countVMs: Bool
    /// The hosts running the account's VMs, when `countVMs`.
    let vmCounts: HostIdFilter
    private(set) var clusters: [Cluster] = []
    // Counters for the failure reason.
    private(set) var inZone = 0
    private(set) var allocatable = 0
    private(set) var notAvoided = 0
    private(set) var tagged = 0
    private(set) var capable = 0

    init(request: PlacementRequest, settings: PlacementSettings, countVMs: Bool) {
        self.request = request
        self.settings = settings
        self.countVMs = countVMs
        self.vmCounts = HostIdFilter(countVMs ? Array(request.accountVMCountByHost.keys) : [])
    }

    mutating func scan(_ hosts: [HostCandidate]) {
        hosts.withUnsafeBufferPointer { self.scan($0) }
    }

    // Reads the hosts in place: copying a HostCandidate out of the array retains its strings and tags.
    private mutating func scan(_ hosts: UnsafeBufferPointer<HostCandidate>) {
        var indexById: [String: Int] = [:]
        var last = -1
        let zoneId = self.request.zoneId
        let requiredCpu = self.request.requiredCpuMHz
        let requiredMemory = self.request.memoryBytes
        let tags = self.request.hostTags
        let antiAffinity = self.request.antiAffinityHostIds
        let avoidHosts = self.request.avoidHostIds
        let excluded = HostIdFilter(antiAffinity.union(avoidHosts))
        let probe = !excluded.isEmpty || (self.countVMs && !self.vmCounts.isEmpty)
        for position in hosts.indices {
            guard hosts[position].zoneId == zoneId else { continue }
            self.inZone += 1
            // Hosts usually arrive grouped by cluster: compare with the last cluster before hashing.
            let index: Int
            if last >= 0, self.clusters[last].id == hosts[position].clusterId {
                index = last
            } else if let known = indexById[hosts[position].clusterId] {
                index = known
            } else {
                index = self.clusters.count
                indexById[hosts[position].clusterId] = index
                self.clusters.append(self.newCluster(hosts[position]))
            }
            last = index
            let key = probe ? HostIdFilter.key(hosts[position].id) : 0
            if self.countVMs, self.vmCounts.mayContain(key: key),
                let count = self.request.accountVMCountByHost[hosts[position].id]
            {
                self.clusters[index].accountVMs += count
            }
            guard hosts[position].isAllocatable else { continue }
            self.allocatable += 1
            let cpu = hosts[position].cpuCapacity(factor: self.clusters[index].cpuFactor)
            let memory = hosts[position].memoryCapacity(factor: self.clusters[index].memoryFactor)
            self.clusters[index].cpu = self.clusters[index].cpu.adding(cpu)
            self.clusters[index].memory = self.clusters[index].memory.adding(memory)
            guard !self.clusters[index].avoided else { continue }
            if !excluded.isEmpty, excluded.mayContain(key: key),
                antiAffinity.contains(hosts[position].id) || avoidHosts.contains(hosts[position].id)
            {
                continue
            }
            self.notAvoided += 1
            if !tags.isEmpty,
                hosts[position].hostTags.count < tags.count || !tags.isSubset(of: hosts[position].hostTags)
            {
                continue
            }
            self.tagged += 1
            guard hosts[position].cpuCores >= self.request.cpuNumber,
                hosts[position].cpuSpeedMHz >= self.request.cpuSpeedMHz
            else {
                continue
            }
            self.capable += 1
            guard cpu.canAllocate(requiredCpu), memory.canAllocate(requiredMemory) else { continue }
            self.clusters[index].suitable.append(position)
        }
    }

    private func newCluster(_ host: HostCandidate) -> Cluster {
        let cpuFactor = self.settings.cpuOverprovisioningFactor(cluster: host.clusterId)
        let memoryFactor = self.settings.memoryOverprovisioningFactor(cluster: host.clusterId)
        return Cluster(
            id: host.clusterId,
            podId: host.podId,
            cpuFactor: cpuFactor,
            memoryFactor: memoryFactor,
            avoided: self.request.avoidClusterIds.contains(host.clusterId)
                || self.request.avoidPodIds.contains(host.podId),
            cpu: Capacity(used: 0, total: 0, overprovisioningFactor: cpuFactor),
            memory: Capacity(used: 0, total: 0, overprovisioningFactor: memoryFactor)
        )
    }

    /// Why no host was found, for `errortext` (CloudStack: "Unable to create a deployment for VM").
    func failureReason(crossing: [String]) -> String {
        let zone = self.request.zoneId
        let why: String
        if self.inZone == 0 {
            why = "zone \(zone) has no hosts"
        } else if self.allocatable == 0 {
            why = "no host of zone \(zone) is Up and Enabled"
        } else if self.notAvoided == 0 {
            why = "every Up and Enabled host of zone \(zone) is avoided or excluded by anti-affinity"
        } else if self.tagged == 0 {
            let tags = self.request.hostTags.sorted().joined(separator: ",")
            why = "no available host of zone \(zone) carries the host tags \(tags)"
        } else if self.capable == 0 {
            why =
                "no available host of zone \(zone) has \(self.request.cpuNumber) cores of "
                + "\(self.request.cpuSpeedMHz) MHz"
        } else if !crossing.isEmpty {
            why = "the clusters with room cross the allocated capacity disable threshold"
        } else {
            why =
                "no available host of zone \(zone) has \(self.request.requiredCpuMHz) MHz of CPU and "
                + "\(self.request.memoryBytes) bytes of memory free"
        }
        return "Unable to create a deployment for the VM: \(why)."
    }
}
