import CloudModel
import Testing

/// The DRS imbalance, `needsDrs` and the greedy planner, on fixed and seeded random clusters.
struct DrsPlannerTests {
    static let gib = 1024 * 1024 * 1024

    static func host(_ id: String, memoryUsed: Int = 0, cpuUsed: Int = 0) -> DrsHost {
        DrsHost(id: id, cpuTotal: 16_000, cpuUsed: cpuUsed, memoryTotal: 32 * gib, memoryUsed: memoryUsed)
    }

    /// Eight 2 GiB VMs on the first of four hosts.
    static func skewed() -> DrsClusterState {
        let vms = (0..<8).map { DrsVirtualMachine(id: "vm\($0)", hostId: "h0", cpu: 1000, memory: 2 * gib) }
        return DrsClusterState(
            hosts: [host("h0", memoryUsed: 16 * gib, cpuUsed: 8000), host("h1"), host("h2"), host("h3")],
            virtualMachines: vms
        )
    }

    @Test func imbalanceIsPopulationStandardDeviationOverMean() {
        #expect(DrsClusterState.imbalance(of: []) == 0)
        #expect(DrsClusterState.imbalance(of: [0, 0]) == 0)
        #expect(DrsClusterState.imbalance(of: [5, 5, 5]) == 0)
        // mean 2, population deviation 2: 1.0 (a sample deviation would give 1.15).
        #expect(abs(DrsClusterState.imbalance(of: [0, 4]) - 1.0) < 1e-12)
        #expect(abs(DrsClusterState.imbalance(of: [4, 0, 0, 0]) - 3.0.squareRoot()) < 1e-12)
    }

    @Test func metricValuesFollowTypeAndRatio() {
        let host = DrsHost(id: "h", cpuTotal: 1000, cpuUsed: 250, memoryTotal: 400, memoryUsed: 100)
        #expect(host.metricValue(DrsSettings(metric: .memory, metricType: .used, useRatio: true)) == 0.25)
        #expect(host.metricValue(DrsSettings(metric: .memory, metricType: .free, useRatio: false)) == 300)
        #expect(host.metricValue(DrsSettings(metric: .cpu, metricType: .used, useRatio: false)) == 250)
        #expect(host.metricValue(DrsSettings(metric: .cpu, metricType: .free, useRatio: true)) == 0.75)
    }

    @Test func needsDrsUsesTheAlgorithmsThreshold() {
        let balanced = DrsSettings(algorithm: .balanced, imbalanceThreshold: 0.4)
        #expect(balanced.needsDrs(imbalance: 0.61))
        #expect(!balanced.needsDrs(imbalance: 0.6))
        let condensed = DrsSettings(algorithm: .condensed, imbalanceThreshold: 0.4)
        #expect(condensed.needsDrs(imbalance: 0.39))
        #expect(!condensed.needsDrs(imbalance: 0.4))
    }

    @Test func balancedSpreadsASkewedClusterBelowTheThreshold() {
        let settings = DrsSettings(algorithm: .balanced, imbalanceThreshold: 0.8)
        let state = Self.skewed()
        #expect(state.imbalance(settings) > settings.threshold)
        let (moves, final) = DrsPlanner.plan(state, settings: settings)
        #expect(!moves.isEmpty)
        #expect(moves.allSatisfy { $0.sourceHostId == "h0" })
        #expect(final.imbalance(settings) <= settings.threshold)
        #expect(abs((moves.last?.imbalanceAfter ?? -1) - final.imbalance(settings)) < 1e-12)
    }

    @Test func maxMigrationsBoundsThePlan() {
        let settings = DrsSettings(algorithm: .balanced, imbalanceThreshold: 1.0)
        let (moves, _) = DrsPlanner.plan(Self.skewed(), settings: settings, maxMigrations: 2)
        #expect(moves.count == 2)
        let (none, final) = DrsPlanner.plan(Self.skewed(), settings: settings, maxMigrations: 0)
        #expect(none.isEmpty && final == Self.skewed())
    }

    @Test func antiAffinityKeepsGroupMembersApart() {
        // vm0..vm3 must not share a host; they start on h0 (a pre-existing violation DRS cannot make worse).
        let settings = DrsSettings(algorithm: .balanced, imbalanceThreshold: 1.0)
        let group = ["vm0", "vm1", "vm2", "vm3"]
        let (moves, final) = DrsPlanner.plan(Self.skewed(), settings: settings, antiAffinityGroups: [group])
        #expect(!moves.isEmpty)
        let hostsOfGroup = final.virtualMachines.filter { group.contains($0.id) && $0.hostId != "h0" }.map(\.hostId)
        #expect(Set(hostsOfGroup).count == hostsOfGroup.count)
    }

    @Test func condensedPacksASpreadCluster() {
        let vms = (0..<4).map { DrsVirtualMachine(id: "vm\($0)", hostId: "h\($0)", cpu: 1000, memory: 2 * Self.gib) }
        let state = DrsClusterState(
            hosts: (0..<4).map { Self.host("h\($0)", memoryUsed: 2 * Self.gib, cpuUsed: 1000) },
            virtualMachines: vms
        )
        let settings = DrsSettings(algorithm: .condensed, imbalanceThreshold: 0.5)
        #expect(state.imbalance(settings) == 0)
        let (moves, final) = DrsPlanner.plan(state, settings: settings)
        #expect(!moves.isEmpty)
        #expect(final.imbalance(settings) >= settings.threshold)
    }

    @Test func noMoveWhenNothingFits() {
        // h1 is full: nothing can leave h0.
        let state = DrsClusterState(
            hosts: [Self.host("h0", memoryUsed: 30 * Self.gib), Self.host("h1", memoryUsed: 32 * Self.gib)],
            virtualMachines: [DrsVirtualMachine(id: "a", hostId: "h0", cpu: 100, memory: 30 * Self.gib)]
        )
        let (moves, _) = DrsPlanner.plan(state, settings: DrsSettings(imbalanceThreshold: 1.0))
        #expect(moves.isEmpty)
    }
}

extension DrsPlannerTests {
    @Test func aVMOnlyMovesToHostsItMayUse() {
        var state = Self.skewed()
        for index in state.virtualMachines.indices { state.virtualMachines[index].allowedHostIds = ["h0", "h2"] }
        let (moves, _) = DrsPlanner.plan(state, settings: DrsSettings(imbalanceThreshold: 1.0))
        #expect(!moves.isEmpty)
        #expect(moves.allSatisfy { $0.destinationHostId == "h2" })
    }
}
