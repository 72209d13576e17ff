import CloudModel
import Testing

/// Seeded random clusters: whatever the settings, a plan never overcommits a host, never puts two members of an
/// anti-affinity group on one host, and each step moves the imbalance the algorithm's way; a balanced plan with
/// room to spare ends at or below the threshold.
struct DrsPlannerPropertyTests {
    static let gib = 1024 * 1024 * 1024

    /// Random hosts and VMs; the VMs are packed first-fit so the start state is within capacity, and each
    /// anti-affinity group's members start on distinct hosts.
    static func randomCluster(
        _ generator: inout SplitMix64
    ) -> (state: DrsClusterState, groups: [[String]]) {
        let hostCount = Int.random(in: 2...8, using: &generator)
        var hosts = (0..<hostCount).map { index in
            DrsHost(
                id: "h\(index)",
                cpuTotal: Int.random(in: 4...16, using: &generator) * 2000,
                cpuUsed: 0,
                memoryTotal: Int.random(in: 8...64, using: &generator) * gib,
                memoryUsed: 0,
                cpuOverprovisioning: [1, 1.5, 2].randomElement(using: &generator)!,
                memoryOverprovisioning: [1, 1.5].randomElement(using: &generator)!
            )
        }
        var vms: [DrsVirtualMachine] = []
        // Skew: most VMs try the first hosts first.
        for index in 0..<Int.random(in: 0...40, using: &generator) {
            let vm = DrsVirtualMachine(
                id: "vm\(index)",
                hostId: "",
                cpu: [500, 1000, 2000].randomElement(using: &generator)!,
                memory: [1, 2, 4].randomElement(using: &generator)! * gib
            )
            let start =
                Int.random(in: 0...2, using: &generator) == 0 ? Int.random(in: 0..<hostCount, using: &generator) : 0
            for offset in 0..<hostCount {
                let target = (start + offset) % hostCount
                if hosts[target].fits(vm) {
                    var placed = vm
                    placed.hostId = hosts[target].id
                    hosts[target].cpuUsed += vm.cpu
                    hosts[target].memoryUsed += vm.memory
                    vms.append(placed)
                    break
                }
            }
        }
        // Host tags: some VMs may use only some hosts (always including their own).
        for index in vms.indices where Int.random(in: 0..<4, using: &generator) == 0 {
            let allowed = hosts.filter { _ in Bool.random(using: &generator) }.map(\.id)
            vms[index].allowedHostIds = Set(allowed + [vms[index].hostId])
        }
        // Groups: VMs on distinct hosts.
        var groups: [[String]] = []
        for _ in 0..<Int.random(in: 0...3, using: &generator) {
            var used: Set<String> = []
            var group: [String] = []
            for vm in vms.shuffled(using: &generator) where !used.contains(vm.hostId) && group.count < 3 {
                used.insert(vm.hostId)
                group.append(vm.id)
            }
            if group.count > 1 { groups.append(group) }
        }
        return (DrsClusterState(hosts: hosts, virtualMachines: vms), groups)
    }

    static func randomSettings(_ generator: inout SplitMix64) -> DrsSettings {
        DrsSettings(
            algorithm: DrsAlgorithm.allCases.randomElement(using: &generator)!,
            metric: DrsMetric.allCases.randomElement(using: &generator)!,
            metricType: DrsMetricType.allCases.randomElement(using: &generator)!,
            useRatio: Bool.random(using: &generator),
            imbalanceThreshold: Double(Int.random(in: 0...10, using: &generator)) / 10,
            maxMigrations: Int.random(in: 0...30, using: &generator)
        )
    }

    @Test(arguments: 0..<200)
    func plansKeepCapacityAntiAffinityAndDirection(seed: UInt64) throws {
        var generator = SplitMix64(seed: seed)
        let (start, groups) = Self.randomCluster(&generator)
        let settings = Self.randomSettings(&generator)
        let (moves, final) = DrsPlanner.plan(start, settings: settings, antiAffinityGroups: groups)
        #expect(moves.count <= settings.maxMigrations)
        var state = start
        var previous = state.imbalance(settings)
        for move in moves {
            #expect(settings.needsDrs(imbalance: previous))
            let vmIndex = try #require(state.virtualMachines.firstIndex { $0.id == move.vmId })
            let hostIndex = try #require(state.hosts.firstIndex { $0.id == move.destinationHostId })
            #expect(state.virtualMachines[vmIndex].hostId == move.sourceHostId)
            #expect(move.sourceHostId != move.destinationHostId)
            #expect(state.virtualMachines[vmIndex].allowedHostIds?.contains(move.destinationHostId) ?? true)
            state = state.moving(vmIndex, to: hostIndex)
            for host in state.hosts {
                #expect(host.cpu.allocated <= host.cpu.effectiveTotal, "cpu overcommitted on \(host.id)")
                #expect(host.memory.allocated <= host.memory.effectiveTotal, "memory overcommitted on \(host.id)")
            }
            for group in groups {
                let hostIds = state.virtualMachines.filter { group.contains($0.id) }.map(\.hostId)
                #expect(Set(hostIds).count == hostIds.count, "anti-affinity group \(group) shares a host")
            }
            let imbalance = state.imbalance(settings)
            #expect(settings.improvement(from: previous, to: imbalance) > 0)
            #expect(abs(imbalance - move.imbalanceAfter) < 1e-9)
            previous = imbalance
        }
        #expect(state == final)
    }

    @Test(arguments: 0..<50)
    func balancedEndsBelowTheThresholdWhenThereIsRoom(seed: UInt64) {
        var generator = SplitMix64(seed: seed &+ 10_000)
        // Equal roomy hosts, every VM on the first: small VMs can always be spread.
        let hostCount = Int.random(in: 2...6, using: &generator)
        let vmCount = Int.random(in: hostCount...(hostCount * 6), using: &generator)
        let vms = (0..<vmCount).map { DrsVirtualMachine(id: "vm\($0)", hostId: "h0", cpu: 500, memory: Self.gib) }
        let hosts = (0..<hostCount).map { index in
            DrsHost(
                id: "h\(index)",
                cpuTotal: 64_000,
                cpuUsed: index == 0 ? vmCount * 500 : 0,
                memoryTotal: 64 * Self.gib,
                memoryUsed: index == 0 ? vmCount * Self.gib : 0
            )
        }
        let settings = DrsSettings(algorithm: .balanced, imbalanceThreshold: 0.4, maxMigrations: 100)
        let state = DrsClusterState(hosts: hosts, virtualMachines: vms)
        #expect(settings.needsDrs(imbalance: state.imbalance(settings)))
        let (_, final) = DrsPlanner.plan(state, settings: settings)
        #expect(final.imbalance(settings) <= settings.threshold)
    }
}
