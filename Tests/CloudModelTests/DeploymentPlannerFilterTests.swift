import CloudModel
import Testing

/// Step 1 for every algorithm: which hosts are never returned.
struct DeploymentPlannerFilterTests {
    typealias F = PlacementFixtures

    /// A zone with one good host (`ok`) and one host failing each rule.
    static let hosts: [HostCandidate] = [
        F.host("down", status: .down),
        F.host("disconnected", status: .disconnected),
        F.host("disabled", resourceState: .disabled),
        F.host("maintenance", resourceState: .maintenance),
        F.host("other-zone", zone: "z2"),
        F.host("no-tag", tags: ["ssd"]),
        F.host("few-cores", cores: 1, tags: ["ssd", "gpu"]),
        F.host("slow", speed: 500, tags: ["ssd", "gpu"]),
        F.host("cpu-full", usedCpu: 15_000, tags: ["ssd", "gpu"]),
        F.host("memory-full", usedMemoryGiB: 31, tags: ["ssd", "gpu"]),
        F.host("anti-affinity", tags: ["ssd", "gpu"]),
        F.host("avoided", tags: ["ssd", "gpu"]),
        F.host("avoided-cluster", cluster: "c9", tags: ["ssd", "gpu"]),
        F.host("avoided-pod", cluster: "c8", pod: "p9", tags: ["ssd", "gpu"]),
        F.host("ok", tags: ["ssd", "gpu", "extra"]),
    ]

    @Test("only the host passing every rule is returned", arguments: AllocationAlgorithm.allCases)
    func onlySuitableHost(algorithm: AllocationAlgorithm) throws {
        var request = F.request(
            cpus: 2,
            speed: 1000,
            memoryGiB: 2,
            tags: ["ssd", "gpu"],
            antiAffinity: ["anti-affinity"]
        )
        request.avoidHostIds = ["avoided"]
        request.avoidClusterIds = ["c9"]
        request.avoidPodIds = ["p9"]
        #expect(try F.plan(request, Self.hosts, algorithm).get() == ["ok"])
    }

    @Test("the last fitting byte and MHz count", arguments: AllocationAlgorithm.allCases)
    func exactFit(algorithm: AllocationAlgorithm) throws {
        let hosts = [F.host("h1", usedCpu: 15_000, usedMemoryGiB: 31), F.host("h2", usedCpu: 15_001)]
        let settings = PlacementSettings(clusterThresholdEnabled: false)
        #expect(try F.plan(F.request(), hosts, algorithm, settings: settings).get() == ["h1"])
    }

    @Test("overprovisioning factors scale totals, per cluster too", arguments: AllocationAlgorithm.allCases)
    func overprovisioning(algorithm: AllocationAlgorithm) throws {
        let hosts = [
            F.host("full-c1", cluster: "c1", usedCpu: 16_000, usedMemoryGiB: 32),
            F.host("full-c2", cluster: "c2", usedCpu: 16_000, usedMemoryGiB: 32),
        ]
        let noOvercommit = PlacementSettings(clusterThresholdEnabled: false)
        #expect(throws: PlacementError.self) { try F.plan(F.request(), hosts, algorithm, settings: noOvercommit).get() }
        let global = PlacementSettings(
            cpuOverprovisioningFactor: 2,
            memoryOverprovisioningFactor: 2,
            clusterThresholdEnabled: false
        )
        #expect(try Set(F.plan(F.request(), hosts, algorithm, settings: global).get()) == ["full-c1", "full-c2"])
        let perCluster = PlacementSettings(
            clusterCpuOverprovisioningFactors: ["c2": 2],
            clusterMemoryOverprovisioningFactors: ["c2": 2],
            clusterThresholdEnabled: false
        )
        #expect(try F.plan(F.request(), hosts, algorithm, settings: perCluster).get() == ["full-c2"])
    }

    @Test(
        "no suitable host is an insufficient capacity error (533) saying why",
        arguments: AllocationAlgorithm.allCases
    )
    func insufficientCapacity(algorithm: AllocationAlgorithm) {
        let cases: [(hosts: [HostCandidate], request: PlacementRequest, says: String)] = [
            ([], F.request(), "has no hosts"),
            ([F.host("h", status: .down)], F.request(), "Up and Enabled"),
            ([F.host("h")], F.request(antiAffinity: ["h"]), "anti-affinity"),
            ([F.host("h")], F.request(tags: ["ssd"]), "host tags ssd"),
            ([F.host("h")], F.request(cpus: 9), "9 cores"),
            ([F.host("h")], F.request(memoryGiB: 33), "of memory free"),
        ]
        for example in cases {
            let result = F.plan(example.request, example.hosts, algorithm)
            guard case .failure(let error) = result else {
                Issue.record("expected a failure, got \(result)")
                continue
            }
            #expect(error.code == .insufficientCapacity)
            #expect(error.code.errorCode == 533)
            #expect(error.reason.contains(example.says), "\(error.reason)")
        }
    }
}
