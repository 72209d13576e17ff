import CloudModel
import Testing

/// Steps 3 and 4: the order of clusters and of hosts, one rule per algorithm. Host ids are `cluster.name`.
struct DeploymentPlannerOrderingTests {
    typealias F = PlacementFixtures

    /// Allocated CPU: c1 50%, c2 12.5%, c3 25%; allocated memory: c1 6%, c2 62%, c3 31%.
    static let threeClusters: [HostCandidate] = [
        F.host("c1.b", cluster: "c1", usedCpu: 8000, usedMemoryGiB: 2),
        F.host("c1.a", cluster: "c1", usedCpu: 8000, usedMemoryGiB: 2),
        F.host("c2.a", cluster: "c2", usedCpu: 2000, usedMemoryGiB: 20),
        F.host("c2.b", cluster: "c2", usedCpu: 2000, usedMemoryGiB: 20),
        F.host("c3.a", cluster: "c3", usedCpu: 4000, usedMemoryGiB: 10),
        F.host("c3.b", cluster: "c3", usedCpu: 4000, usedMemoryGiB: 10),
    ]

    static func clusters(_ ids: [String]) -> [Substring] {
        ids.map { $0.prefix { $0 != "." } }
    }

    @Test(
        "clusters least allocated first, by host.capacityType.to.order.clusters",
        arguments: [
            (algorithm: AllocationAlgorithm.firstfit, type: PlacementSettings.CapacityType.cpu),
            (.firstfit, .ram), (.random, .cpu), (.random, .ram), (.firstfitleastconsumed, .cpu),
            (.firstfitleastconsumed, .ram), (.userdispersing, .cpu), (.userconcentratedpodFirstfit, .ram),
            (.userconcentratedpodRandom, .cpu),
        ]
    )
    func clusterOrder(algorithm: AllocationAlgorithm, type: PlacementSettings.CapacityType) throws {
        let settings = PlacementSettings(capacityTypeToOrderClusters: type)
        let ids = try F.plan(F.request(), Self.threeClusters, algorithm, settings: settings).get()
        let expected: [Substring] =
            type == .cpu ? ["c2", "c2", "c3", "c3", "c1", "c1"] : ["c1", "c1", "c3", "c3", "c2", "c2"]
        #expect(Self.clusters(ids) == expected)
    }

    @Test("firstfit keeps the hosts' given order inside a cluster")
    func firstfitHostOrder() throws {
        let ids = try F.plan(F.request(), Self.threeClusters, .firstfit).get()
        #expect(ids == ["c2.a", "c2.b", "c3.a", "c3.b", "c1.b", "c1.a"])
    }

    @Test("random shuffles with the generator: same seed same order, and every suitable host once")
    func randomShuffles() throws {
        let hosts = (0..<20).map { F.host("c1.h\($0)") }
        let first = try F.plan(F.request(), hosts, .random, seed: 1).get()
        #expect(try F.plan(F.request(), hosts, .random, seed: 1).get() == first)
        #expect(try F.plan(F.request(), hosts, .random, seed: 2).get() != first)
        #expect(first != hosts.map(\.id))
        #expect(first.sorted() == hosts.map(\.id).sorted())
    }

    @Test(
        "firstfitleastconsumed: most free capacity of the ordering type first",
        arguments: [(PlacementSettings.CapacityType.cpu, ["c1.y", "c1.z", "c1.x"]), (.ram, ["c1.x", "c1.z", "c1.y"])]
    )
    func leastConsumed(type: PlacementSettings.CapacityType, expected: [String]) throws {
        let hosts = [
            F.host("c1.x", usedCpu: 9000, usedMemoryGiB: 1),
            F.host("c1.y", usedCpu: 7000, usedMemoryGiB: 10),
            F.host("c1.z", usedCpu: 8000, usedMemoryGiB: 5),
        ]
        let settings = PlacementSettings(capacityTypeToOrderClusters: type)
        #expect(try F.plan(F.request(), hosts, .firstfitleastconsumed, settings: settings).get() == expected)
    }

    @Test("userdispersing: clusters, then hosts, with fewer of the account's VMs first")
    func dispersing() throws {
        let hosts = [
            F.host("c1.a", cluster: "c1", usedCpu: 1000),
            F.host("c1.b", cluster: "c1", usedCpu: 1000),
            F.host("c1.c", cluster: "c1", usedCpu: 1000),
            F.host("c2.a", cluster: "c2", usedCpu: 8000),
            F.host("c2.b", cluster: "c2", usedCpu: 8000),
        ]
        let request = F.request(vms: ["c1.a": 2, "c1.b": 1])
        #expect(try F.plan(request, hosts, .userdispersing).get() == ["c2.a", "c2.b", "c1.c", "c1.b", "c1.a"])
        // Without VMs of the account it is first fit.
        #expect(try F.plan(F.request(), hosts, .userdispersing).get() == ["c1.a", "c1.b", "c1.c", "c2.a", "c2.b"])
    }

    /// p1: c1 (10%, no VMs); p2: c2 (50%, 1 VM), c3 (30%, none); p3: c4 (60%, 5 VMs).
    static let pods: [HostCandidate] = [
        F.host("c1.a", cluster: "c1", pod: "p1", usedCpu: 1600),
        F.host("c1.b", cluster: "c1", pod: "p1", usedCpu: 1600),
        F.host("c2.a", cluster: "c2", pod: "p2", usedCpu: 8000),
        F.host("c2.b", cluster: "c2", pod: "p2", usedCpu: 8000),
        F.host("c3.a", cluster: "c3", pod: "p2", usedCpu: 4800),
        F.host("c3.b", cluster: "c3", pod: "p2", usedCpu: 4800),
        F.host("c4.a", cluster: "c4", pod: "p3", usedCpu: 9600),
        F.host("c4.b", cluster: "c4", pod: "p3", usedCpu: 9600),
    ]

    @Test(
        "userconcentratedpod: clusters of the pods with most of the account's VMs first",
        arguments: [AllocationAlgorithm.userconcentratedpodFirstfit, .userconcentratedpodRandom]
    )
    func concentrated(algorithm: AllocationAlgorithm) throws {
        let request = F.request(vms: ["c2.b": 1, "c4.a": 3, "c4.b": 2])
        for seed in UInt64(0)..<5 {
            let ids = try F.plan(request, Self.pods, algorithm, seed: seed).get()
            #expect(Self.clusters(ids) == ["c4", "c4", "c3", "c3", "c2", "c2", "c1", "c1"])
            let plain = try F.plan(F.request(), Self.pods, algorithm, seed: seed).get()
            #expect(Self.clusters(plain) == ["c1", "c1", "c3", "c3", "c2", "c2", "c4", "c4"])
        }
        if algorithm == .userconcentratedpodFirstfit {
            #expect(try F.plan(request, Self.pods, algorithm).get().prefix(2) == ["c4.a", "c4.b"])
        }
    }

    @Test("userconcentratedpod_random shuffles inside clusters")
    func concentratedRandomShuffles() throws {
        let hosts = (0..<20).map { F.host("c1.h\($0)") }
        let orders = try Set(
            (UInt64(0)..<4).map { try F.plan(F.request(), hosts, .userconcentratedpodRandom, seed: $0).get() }
        )
        #expect(orders.count > 1)
    }
}
