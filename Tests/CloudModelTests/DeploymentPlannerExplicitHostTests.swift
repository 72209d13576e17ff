import CloudModel
import Testing

/// An admin's `hostid`: ordering and thresholds bypassed, suitability checked.
struct DeploymentPlannerExplicitHostTests {
    typealias F = PlacementFixtures

    static let hosts: [HostCandidate] = [
        F.host("best", cluster: "c1"),
        F.host("busy", cluster: "c2", usedCpu: 14_000, usedMemoryGiB: 20, tags: ["ssd"]),
        F.host("down", cluster: "c2", status: .down),
        F.host("elsewhere", zone: "z2"),
    ]

    @Test("the named host alone, even when another ranks first", arguments: AllocationAlgorithm.allCases)
    func namedHostOnly(algorithm: AllocationAlgorithm) throws {
        // c2 crosses the 0.85 CPU threshold with the VM (15000 of 16000 MHz), which an explicit host ignores.
        #expect(try F.plan(F.request(hostId: "busy"), Self.hosts, algorithm).get() == ["busy"])
        #expect(try F.plan(F.request(tags: ["ssd"], hostId: "busy"), Self.hosts, algorithm).get() == ["busy"])
    }

    @Test(
        "refusals",
        arguments: [
            (request: F.request(hostId: "nowhere"), code: PlacementError.Code.hostNotFound, says: "Unable to find"),
            (request: F.request(hostId: "elsewhere"), code: .hostNotFound, says: "zone z1"),
            (request: F.request(hostId: "down"), code: .hostNotSuitable, says: "Down and Enabled"),
            (request: F.request(tags: ["gpu"], hostId: "busy"), code: .hostNotSuitable, says: "host tags gpu"),
            (request: F.request(speed: 3000, hostId: "best"), code: .hostNotSuitable, says: "cores of"),
            (request: F.request(cpus: 3, hostId: "busy"), code: .hostNotSuitable, says: "MHz of CPU free"),
            (request: F.request(memoryGiB: 13, hostId: "busy"), code: .hostNotSuitable, says: "bytes of memory"),
            (request: F.request(antiAffinity: ["best"], hostId: "best"), code: .hostNotSuitable, says: "anti-affinity"),
        ]
    )
    func refusals(request: PlacementRequest, code: PlacementError.Code, says: String) {
        guard case .failure(let error) = F.plan(request, Self.hosts, .firstfit) else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.code == code)
        #expect(error.code.errorCode == (code == .hostNotFound ? 431 : 533))
        #expect(error.reason.contains(says), "\(error.reason)")
    }

    @Test func avoidSetRefusesTheNamedHost() {
        var request = F.request(hostId: "best")
        request.avoidClusterIds = ["c1"]
        let error = DeploymentPlanner.unsuitability(of: Self.hosts[0], for: request, settings: PlacementSettings())
        #expect(error?.code == .hostNotSuitable)
        #expect(error?.reason.contains("avoid set") == true)
    }

    @Test func unsuitabilityIsNilForAFittingHost() {
        #expect(DeploymentPlanner.unsuitability(of: Self.hosts[0], for: F.request(), settings: .init()) == nil)
    }
}
