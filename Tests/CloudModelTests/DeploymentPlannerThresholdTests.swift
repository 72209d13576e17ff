import CloudModel
import Testing

/// Step 2: clusters that would cross a capacity disable threshold are skipped.
struct DeploymentPlannerThresholdTests {
    typealias F = PlacementFixtures

    /// c1 at 80% CPU and 9% memory; c2 at 10% CPU and 81% memory; c3 at 10% CPU and 9% memory.
    static let hosts: [HostCandidate] = [
        F.host("c1.a", cluster: "c1", usedCpu: 12_800, usedMemoryGiB: 3),
        F.host("c2.a", cluster: "c2", usedCpu: 1600, usedMemoryGiB: 26),
        F.host("c3.a", cluster: "c3", usedCpu: 1600, usedMemoryGiB: 3),
    ]

    @Test(
        "with the VM's 1000 MHz and 2 GiB, c1 crosses the CPU and c2 the memory threshold",
        arguments: AllocationAlgorithm.allCases
    )
    func skipsCrossingClusters(algorithm: AllocationAlgorithm) throws {
        let request = F.request(memoryGiB: 2)
        var generator = SplitMix64(seed: 7)
        let result = try DeploymentPlanner.plan(
            request: request,
            hosts: Self.hosts,
            settings: PlacementSettings(allocationAlgorithm: algorithm),
            generator: &generator
        )
        #expect(result.hostIds == ["c3.a"])
        #expect(result.clustersCrossingThreshold == ["c1", "c2"])
    }

    @Test(
        "thresholds move, and cluster.threshold.enabled=false turns them off",
        arguments: [
            (cpu: 0.85, memory: 0.85, enabled: true, hosts: ["c3.a"]),
            (cpu: 0.95, memory: 0.85, enabled: true, hosts: ["c3.a", "c1.a"]),
            (cpu: 0.85, memory: 0.95, enabled: true, hosts: ["c2.a", "c3.a"]),
            (cpu: 0.5, memory: 0.5, enabled: false, hosts: ["c2.a", "c3.a", "c1.a"]),
            (cpu: 0.05, memory: 0.95, enabled: true, hosts: []),
        ]
    )
    func thresholds(cpu: Double, memory: Double, enabled: Bool, hosts: [String]) {
        let settings = PlacementSettings(
            clusterCpuDisableThreshold: cpu,
            clusterMemoryDisableThreshold: memory,
            clusterThresholdEnabled: enabled
        )
        switch F.plan(F.request(memoryGiB: 2), Self.hosts, .firstfit, settings: settings) {
        case .success(let ids):
            #expect(ids == hosts)
        case .failure(let error):
            #expect(hosts.isEmpty)
            #expect(error.code == .insufficientCapacity)
            #expect(error.reason.contains("disable threshold"))
        }
    }

    @Test("the threshold counts every Up and Enabled host of the cluster, not only suitable ones")
    func aggregateOverTheCluster() throws {
        // c1.a is nearly full (not suitable for 4 GiB); with c1.b the cluster is at 50% memory + 4 GiB < 85%.
        let hosts = [
            F.host("c1.a", cluster: "c1", usedMemoryGiB: 30),
            F.host("c1.b", cluster: "c1", usedMemoryGiB: 2),
            F.host("c1.c", cluster: "c1", status: .down),
        ]
        #expect(try F.plan(F.request(memoryGiB: 4), hosts, .firstfit).get() == ["c1.b"])
        // 60 of 64 GiB allocated with the VM: 94% > 85%.
        #expect(throws: PlacementError.self) { try F.plan(F.request(memoryGiB: 28), hosts, .firstfit).get() }
    }
}
