extension PlacementScan {
    /// Steps 2 and 3: the clusters with suitable hosts under the thresholds, in the order to try them, and the
    /// clusters dropped by the thresholds.
    func orderedClusters() -> (ordered: [Int], crossing: [String]) {
        var candidates: [Int] = []
        var crossing: [String] = []
        let requiredCpu = self.request.requiredCpuMHz
        let requiredMemory = self.request.memoryBytes
        for index in self.clusters.indices where !self.clusters[index].suitable.isEmpty {
            let cluster = self.clusters[index]
            if self.settings.clusterThresholdEnabled,
                cluster.cpu.allocatedFraction(adding: requiredCpu) > self.settings.clusterCpuDisableThreshold
                    || cluster.memory.allocatedFraction(adding: requiredMemory)
                        > self.settings.clusterMemoryDisableThreshold
            {
                crossing.append(cluster.id)
            } else {
                candidates.append(index)
            }
        }
        // orderClustersByAggregateCapacity: least allocated fraction first; ties keep the order seen.
        let byCpu = self.settings.capacityTypeToOrderClusters == .cpu
        var fraction = [Double](repeating: 0, count: self.clusters.count)
        for index in candidates {
            let cluster = self.clusters[index]
            fraction[index] = byCpu ? cluster.cpu.allocatedFraction() : cluster.memory.allocatedFraction()
        }
        candidates.sort { (fraction[$0], $0) < (fraction[$1], $1) }
        switch self.settings.allocationAlgorithm {
        case .random, .firstfit, .firstfitleastconsumed:
            return (candidates, crossing)
        case .userdispersing:
            return (self.dispersed(candidates), crossing)
        case .userconcentratedpodRandom, .userconcentratedpodFirstfit:
            return (self.concentrated(candidates), crossing)
        }
    }

    /// UserDispersingPlanner (with `vm.user.dispersion.weight` 1): fewest account VMs first, then capacity order.
    private func dispersed(_ byCapacity: [Int]) -> [Int] {
        let keyed = byCapacity.enumerated().map { (vms: self.clusters[$0.element].accountVMs, rank: $0.offset) }
        return keyed.sorted { ($0.vms, $0.rank) < ($1.vms, $1.rank) }.map { byCapacity[$0.rank] }
    }

    /// UserConcentratedPodPlanner: the clusters of pods holding the account's VMs first, pods with more VMs first
    /// (each pod's clusters together, in capacity order), then the other clusters in capacity order.
    private func concentrated(_ byCapacity: [Int]) -> [Int] {
        var podVMs: [String: Int] = [:]
        for cluster in self.clusters where cluster.accountVMs > 0 {
            podVMs[cluster.podId, default: 0] += cluster.accountVMs
        }
        guard !podVMs.isEmpty else { return byCapacity }
        var podRank: [String: Int] = [:]
        for index in byCapacity where podRank[self.clusters[index].podId] == nil {
            podRank[self.clusters[index].podId] = podRank.count
        }
        let keyed = byCapacity.enumerated().map { offset, index in
            let pod = self.clusters[index].podId
            let vms = podVMs[pod] ?? 0
            return (group: vms > 0 ? 0 : 1, vms: -vms, pod: vms > 0 ? podRank[pod]! : 0, rank: offset)
        }
        return keyed.sorted { ($0.group, $0.vms, $0.pod, $0.rank) < ($1.group, $1.vms, $1.pod, $1.rank) }
            .map { byCapacity[$0.rank] }
    }

    /// Step 4: orders one cluster's suitable hosts (indices into `hosts`) by the allocation algorithm.
    func orderHosts(
        _ suitable: inout [Int],
        cluster: Int,
        hosts: [HostCandidate],
        generator: inout SplitMix64
    ) {
        switch self.settings.allocationAlgorithm {
        case .random, .userconcentratedpodRandom:
            suitable.shuffle(using: &generator)
        case .firstfit, .userconcentratedpodFirstfit:
            break
        case .userdispersing:
            let counts = self.request.accountVMCountByHost
            guard !counts.isEmpty else { return }
            let keyed = suitable.map { position in
                let id = hosts[position].id
                return (vms: self.vmCounts.mayContain(id) ? counts[id] ?? 0 : 0, position: position)
            }
            suitable = keyed.sorted { ($0.vms, $0.position) < ($1.vms, $1.position) }.map(\.position)
        case .firstfitleastconsumed:
            let byCpu = self.settings.capacityTypeToOrderClusters == .cpu
            let factor = byCpu ? self.clusters[cluster].cpuFactor : self.clusters[cluster].memoryFactor
            let keyed = suitable.map { position in
                let host = hosts[position]
                let capacity = byCpu ? host.cpuCapacity(factor: factor) : host.memoryCapacity(factor: factor)
                return (free: capacity.free, position: position)
            }
            // orderHostsByFreeCapacity: most free first.
            suitable = keyed.sorted { ($1.free, $0.position) < ($0.free, $1.position) }.map(\.position)
        }
    }
}
