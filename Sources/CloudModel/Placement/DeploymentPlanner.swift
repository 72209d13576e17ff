/// Chooses the hosts a VM may be deployed on, in the order to try them: CloudStack's FirstFitPlanner (with its
/// UserDispersingPlanner and UserConcentratedPodPlanner variants) and FirstFitAllocator, as pure functions.
///
/// Steps, as in CloudStack's DeploymentPlanningManagerImpl:
/// 1. keep the zone's hosts that are Up and Enabled, not avoided (host, cluster or pod, and anti-affinity), carry
///    every host tag of the offering, have the CPU cores and speed (`checkIfHostHasCpuCapability`) and the capacity:
///    `used + reserved + requested <= total × overprovisioning factor`, for CPU (MHz) and memory (bytes);
/// 2. drop clusters that, with the VM, would cross `cluster.cpu.allocated.capacity.disablethreshold` or
///    `cluster.memory.allocated.capacity.disablethreshold` (when `cluster.threshold.enabled`);
/// 3. order clusters by allocated fraction of `host.capacityType.to.order.clusters`, least used first
///    (`orderClustersByAggregateCapacity`), then by the algorithm: `userdispersing` puts clusters with fewer of
///    the account's VMs first; `userconcentratedpod_*` puts clusters of the pods holding most of them first;
/// 4. order each cluster's hosts by the algorithm (FirstFitAllocator): shuffled (`random`,
///    `userconcentratedpod_random`), the order given (`firstfit`, `userconcentratedpod_firstfit`), fewest of the
///    account's VMs (`userdispersing`) or most free capacity (`firstfitleastconsumed`).
///
/// An explicit host (an admin's `hostid`) skips ordering and the cluster thresholds, but must pass step 1.
/// Cost: one pass over the hosts, plus sorting the suitable hosts for the orders that sort.
public enum DeploymentPlanner {
    /// Plans a deployment.
    /// - Parameters:
    ///   - request: what the VM needs and where it must not go.
    ///   - hosts: the hosts to consider, in the store's order (others zones' hosts are ignored).
    ///   - settings: the placement settings.
    ///   - generator: the randomness for `random` and `userconcentratedpod_random` (one value is drawn per plan, to
    ///     seed a `SplitMix64` that does the shuffling).
    /// - Returns: every suitable host, in the order to try them.
    /// - Throws: `PlacementError` with `.insufficientCapacity` when no host fits, `.hostNotFound` when the
    ///   explicit host is not in the zone, `.hostNotSuitable` when it does not fit.
    public static func plan(
        request: PlacementRequest,
        hosts: [HostCandidate],
        settings: PlacementSettings,
        generator: inout some RandomNumberGenerator
    ) throws(PlacementError) -> PlacementResult {
        if let hostId = request.hostId {
            return try self.planExplicit(hostId: hostId, request: request, hosts: hosts, settings: settings)
        }
        let needsVMCounts: Bool
        switch settings.allocationAlgorithm {
        case .userdispersing, .userconcentratedpodRandom, .userconcentratedpodFirstfit:
            needsVMCounts = !request.accountVMCountByHost.isEmpty
        case .random, .firstfit, .firstfitleastconsumed:
            needsVMCounts = false
        }
        var scan = PlacementScan(request: request, settings: settings, countVMs: needsVMCounts)
        scan.scan(hosts)
        let (clusters, crossing) = scan.orderedClusters()
        // One draw from the caller's generator seeds a concrete one: shuffling through an unspecialized
        // `some RandomNumberGenerator` costs a generic call per swap, ten times the rest of the plan.
        var shuffler = SplitMix64(seed: generator.next())
        var ordered: [Int] = []
        ordered.reserveCapacity(clusters.reduce(0) { $0 + scan.clusters[$1].suitable.count })
        for index in clusters {
            var suitable = scan.clusters[index].suitable
            scan.orderHosts(&suitable, cluster: index, hosts: hosts, generator: &shuffler)
            ordered.append(contentsOf: suitable)
        }
        guard !ordered.isEmpty else {
            throw PlacementError(.insufficientCapacity, reason: scan.failureReason(crossing: crossing))
        }
        return PlacementResult(candidates: hosts, order: ordered, clustersCrossingThreshold: crossing)
    }

    /// Plans a deployment with the system's random number generator.
    /// - Parameters:
    ///   - request: what the VM needs and where it must not go.
    ///   - hosts: the hosts to consider, in the store's order.
    ///   - settings: the placement settings.
    /// - Returns: every suitable host, in the order to try them.
    /// - Throws: `PlacementError`, as `plan(request:hosts:settings:generator:)`.
    public static func plan(
        request: PlacementRequest,
        hosts: [HostCandidate],
        settings: PlacementSettings
    ) throws(PlacementError) -> PlacementResult {
        var generator = SystemRandomNumberGenerator()
        return try self.plan(request: request, hosts: hosts, settings: settings, generator: &generator)
    }

    /// Checks one host for a request: state, zone, avoid sets, anti-affinity, tags, CPU cores and speed, and CPU and
    /// memory capacity under the host's cluster factors (not the cluster thresholds). Used for an explicit host,
    /// and by callers that re-check a host (a migration to a named host).
    /// - Parameters:
    ///   - host: the host.
    ///   - request: what the VM needs.
    ///   - settings: the settings holding the overprovisioning factors.
    /// - Returns: nil when the host fits, else a `.hostNotSuitable` error saying why.
    public static func unsuitability(
        of host: HostCandidate,
        for request: PlacementRequest,
        settings: PlacementSettings
    ) -> PlacementError? {
        func refuse(_ why: String) -> PlacementError {
            PlacementError(.hostNotSuitable, reason: "Host \(host.id) is not suitable: \(why).")
        }
        guard host.zoneId == request.zoneId else { return refuse("it is not in zone \(request.zoneId)") }
        guard host.isAllocatable else {
            return refuse("it is \(host.status.rawValue) and \(host.resourceState.rawValue), not Up and Enabled")
        }
        if request.antiAffinityHostIds.contains(host.id) {
            return refuse("it runs a VM of the VM's anti-affinity group")
        }
        if request.avoidHostIds.contains(host.id) || request.avoidClusterIds.contains(host.clusterId)
            || request.avoidPodIds.contains(host.podId)
        {
            return refuse("it is in the avoid set")
        }
        if !request.hostTags.isSubset(of: host.hostTags) {
            let missing = request.hostTags.subtracting(host.hostTags).sorted().joined(separator: ",")
            return refuse("it lacks the host tags \(missing)")
        }
        guard host.cpuCores >= request.cpuNumber, host.cpuSpeedMHz >= request.cpuSpeedMHz else {
            return refuse(
                "it has \(host.cpuCores) cores of \(host.cpuSpeedMHz) MHz, the VM needs \(request.cpuNumber) of "
                    + "\(request.cpuSpeedMHz) MHz"
            )
        }
        let cpu = host.cpuCapacity(factor: settings.cpuOverprovisioningFactor(cluster: host.clusterId))
        guard cpu.canAllocate(request.requiredCpuMHz) else {
            return refuse("it has \(cpu.free) MHz of CPU free, the VM needs \(request.requiredCpuMHz) MHz")
        }
        let memory = host.memoryCapacity(factor: settings.memoryOverprovisioningFactor(cluster: host.clusterId))
        guard memory.canAllocate(request.memoryBytes) else {
            return refuse("it has \(memory.free) bytes of memory free, the VM needs \(request.memoryBytes) bytes")
        }
        return nil
    }

    private static func planExplicit(
        hostId: String,
        request: PlacementRequest,
        hosts: [HostCandidate],
        settings: PlacementSettings
    ) throws(PlacementError) -> PlacementResult {
        guard let host = hosts.first(where: { $0.id == hostId && $0.zoneId == request.zoneId }) else {
            throw PlacementError(.hostNotFound, reason: "Unable to find host \(hostId) in zone \(request.zoneId).")
        }
        if let error = self.unsuitability(of: host, for: request, settings: settings) {
            throw error
        }
        return PlacementResult(hosts: [host])
    }
}
