/// One planned live migration.
public struct DrsMove: Sendable, Hashable {
    /// The VM.
    public var vmId: String
    /// The host it leaves.
    public var sourceHostId: String
    /// The host it goes to.
    public var destinationHostId: String
    /// The cluster imbalance once this move (and those before it) is done.
    public var imbalanceAfter: Double

    /// Creates a move.
    /// - Parameters:
    ///   - vmId: the VM.
    ///   - sourceHostId: where it runs.
    ///   - destinationHostId: where it goes.
    ///   - imbalanceAfter: the imbalance afterwards.
    public init(vmId: String, sourceHostId: String, destinationHostId: String, imbalanceAfter: Double) {
        self.vmId = vmId
        self.sourceHostId = sourceHostId
        self.destinationHostId = destinationHostId
        self.imbalanceAfter = imbalanceAfter
    }
}

/// CloudStack's cluster DRS planner as a pure function: while the algorithm needs DRS and fewer than
/// `maxMigrations` moves are planned, try every VM on every other host it may use (its host tags) that fits it
/// (capacity × overprovisioning)
/// and would not share a host with a member of one of its anti-affinity groups, take the move with the largest
/// improvement, and simulate it before choosing the next. It stops when no move improves the cluster.
public enum DrsPlanner {
    /// Plans moves for a cluster.
    /// - Parameters:
    ///   - state: the cluster's hosts and movable VMs.
    ///   - settings: algorithm, metric, threshold and maximum moves.
    ///   - antiAffinityGroups: groups of VM ids no two of which may share a host.
    ///   - maxMigrations: overrides `settings.maxMigrations` when given (the `migrations` parameter).
    /// - Returns: the moves, in order, and the state after them.
    public static func plan(
        _ state: DrsClusterState,
        settings: DrsSettings,
        antiAffinityGroups: [[String]] = [],
        maxMigrations: Int? = nil
    ) -> (moves: [DrsMove], final: DrsClusterState) {
        let limit = maxMigrations ?? settings.maxMigrations
        var groupsOfVm: [String: [Int]] = [:]
        for (index, group) in antiAffinityGroups.enumerated() {
            for vmId in Set(group) { groupsOfVm[vmId, default: []].append(index) }
        }
        let groupMembers = antiAffinityGroups.map(Set.init)
        let originalHost = Dictionary(state.virtualMachines.map { ($0.id, $0.hostId) }, uniquingKeysWith: { a, _ in a })
        var current = state
        var moves: [DrsMove] = []
        while moves.count < limit {
            let before = current.imbalance(settings)
            guard settings.needsDrs(imbalance: before) else { break }
            var best: (vm: Int, host: Int, after: Double, gain: Double)?
            for (vmIndex, vm) in current.virtualMachines.enumerated() {
                let groups = groupsOfVm[vm.id] ?? []
                for (hostIndex, host) in current.hosts.enumerated() where host.id != vm.hostId {
                    // Never send a VM back to where it started: that would undo an earlier move of this plan.
                    if originalHost[vm.id] == host.id { continue }
                    guard host.fits(vm), vm.allowedHostIds?.contains(host.id) ?? true else { continue }
                    if !groups.isEmpty,
                        current.virtualMachines.contains(where: { other in
                            other.id != vm.id && other.hostId == host.id
                                && groups.contains { groupMembers[$0].contains(other.id) }
                        })
                    {
                        continue
                    }
                    let after = current.moving(vmIndex, to: hostIndex).imbalance(settings)
                    let gain = settings.improvement(from: before, to: after)
                    if gain > 1e-12, gain > (best?.gain ?? 0) {
                        best = (vmIndex, hostIndex, after, gain)
                    }
                }
            }
            guard let chosen = best else { break }
            let vm = current.virtualMachines[chosen.vm]
            moves.append(
                DrsMove(
                    vmId: vm.id,
                    sourceHostId: vm.hostId,
                    destinationHostId: current.hosts[chosen.host].id,
                    imbalanceAfter: chosen.after
                )
            )
            current = current.moving(chosen.vm, to: chosen.host)
        }
        return (moves, current)
    }
}
