import CloudModel
import Testing

struct PlacementResultTests {
    typealias F = PlacementFixtures

    @Test func isACollectionOfTheHostsInOrder() throws {
        let hosts = [F.host("a"), F.host("b"), F.host("c")]
        let result = PlacementResult(hosts: hosts, clustersCrossingThreshold: ["c9"])
        #expect(result.count == 3)
        #expect(result.first?.id == "a")
        #expect(result.hostIds == ["a", "b", "c"])
        #expect(result.hosts == hosts)
        #expect(result == PlacementResult(hosts: hosts, clustersCrossingThreshold: ["c9"]))
        #expect(result != PlacementResult(hosts: hosts))
        #expect(result != PlacementResult(hosts: hosts.reversed(), clustersCrossingThreshold: ["c9"]))
    }

    @Test func plannedResultEqualsOneBuiltFromItsHosts() throws {
        let hosts = [F.host("c1.a", cluster: "c1", usedCpu: 4000), F.host("c2.a", cluster: "c2")]
        var generator = SplitMix64(seed: 3)
        let result = try DeploymentPlanner.plan(
            request: F.request(),
            hosts: hosts,
            settings: PlacementSettings(allocationAlgorithm: .firstfit),
            generator: &generator
        )
        #expect(result.hostIds == ["c2.a", "c1.a"])
        #expect(result == PlacementResult(hosts: [hosts[1], hosts[0]]))
    }
}
