import CloudModel
import Testing

/// Random zones and requests from a seeded generator: whatever the algorithm, the planner returns exactly the
/// hosts that pass `DeploymentPlanner.unsuitability` in clusters under the thresholds, each once, never over
/// capacity × factor, never missing a tag, never an anti-affinity or avoided host.
struct DeploymentPlannerPropertyTests {
    typealias F = PlacementFixtures

    static func randomHosts(_ generator: inout SplitMix64) -> [HostCandidate] {
        let tags = ["ssd", "gpu", "fast"]
        return (0..<Int.random(in: 0...60, using: &generator)).map { index in
            let cores = Int.random(in: 1...16, using: &generator)
            let speed = [1000, 2000, 3000].randomElement(using: &generator)!
            let memory = Int.random(in: 1...64, using: &generator) * F.gib
            // A cluster belongs to one pod: c0 and c3 to p0, c1 and c4 to p1, c2 and c5 to p2.
            let cluster = Int.random(in: 0..<6, using: &generator)
            return HostCandidate(
                id: "h\(index)",
                zoneId: Int.random(in: 0..<10, using: &generator) == 0 ? "z2" : "z1",
                podId: "p\(cluster % 3)",
                clusterId: "c\(cluster)",
                status: Int.random(in: 0..<8, using: &generator) == 0 ? .down : .up,
                resourceState: Int.random(in: 0..<8, using: &generator) == 0 ? .maintenance : .enabled,
                cpuCores: cores,
                cpuSpeedMHz: speed,
                totalMemoryBytes: memory,
                usedCpuMHz: Int.random(in: 0...(cores * speed * 3 / 2), using: &generator),
                usedMemoryBytes: Int.random(in: 0...(memory * 3 / 2), using: &generator),
                reservedCpuMHz: Int.random(in: 0...1000, using: &generator),
                reservedMemoryBytes: Int.random(in: 0...F.gib, using: &generator),
                hostTags: Set(tags.filter { _ in Bool.random(using: &generator) })
            )
        }
    }

    static func randomRequest(_ generator: inout SplitMix64, hosts: [HostCandidate]) -> PlacementRequest {
        let ids = hosts.map(\.id)
        func some(_ from: [String]) -> Set<String> {
            Set(from.filter { _ in Int.random(in: 0..<10, using: &generator) == 0 })
        }
        return PlacementRequest(
            zoneId: "z1",
            cpuNumber: Int.random(in: 1...8, using: &generator),
            cpuSpeedMHz: [500, 1000, 2000].randomElement(using: &generator)!,
            memoryBytes: Int.random(in: 1...16, using: &generator) * F.gib / 2,
            hostTags: some(["ssd", "gpu", "fast", "ssd", "gpu"]),
            accountId: "a1",
            accountVMCountByHost: Dictionary(
                uniqueKeysWithValues: some(ids).map { ($0, Int.random(in: 1...5, using: &generator)) }
            ),
            antiAffinityHostIds: some(ids),
            avoidHostIds: some(ids),
            avoidClusterIds: Int.random(in: 0..<4, using: &generator) == 0 ? ["c1"] : [],
            avoidPodIds: Int.random(in: 0..<4, using: &generator) == 0 ? ["p2"] : []
        )
    }

    static func randomSettings(_ generator: inout SplitMix64, _ algorithm: AllocationAlgorithm) -> PlacementSettings {
        PlacementSettings(
            allocationAlgorithm: algorithm,
            cpuOverprovisioningFactor: [1, 1.5, 2, 4].randomElement(using: &generator)!,
            memoryOverprovisioningFactor: [1, 1.25, 2].randomElement(using: &generator)!,
            clusterCpuOverprovisioningFactors: Bool.random(using: &generator) ? ["c2": 3] : [:],
            clusterMemoryOverprovisioningFactors: Bool.random(using: &generator) ? ["c3": 0.5] : [:],
            clusterCpuDisableThreshold: Double.random(in: 0.5...1.2, using: &generator),
            clusterMemoryDisableThreshold: Double.random(in: 0.5...1.2, using: &generator),
            clusterThresholdEnabled: Int.random(in: 0..<4, using: &generator) != 0,
            capacityTypeToOrderClusters: Bool.random(using: &generator) ? .cpu : .ram
        )
    }

    /// The clusters that cross a threshold with the request, computed from scratch.
    static func crossing(
        _ hosts: [HostCandidate],
        _ request: PlacementRequest,
        _ settings: PlacementSettings
    ) -> Set<String> {
        guard settings.clusterThresholdEnabled else { return [] }
        var result: Set<String> = []
        let live = hosts.filter { $0.zoneId == "z1" && $0.isAllocatable }
        for cluster in Set(live.map(\.clusterId)) {
            let members = live.filter { $0.clusterId == cluster }
            let cpuFactor = settings.cpuOverprovisioningFactor(cluster: cluster)
            let memoryFactor = settings.memoryOverprovisioningFactor(cluster: cluster)
            let cpu = members.reduce(Capacity(used: 0, total: 0, overprovisioningFactor: cpuFactor)) {
                $0.adding($1.cpuCapacity())
            }
            let memory = members.reduce(Capacity(used: 0, total: 0, overprovisioningFactor: memoryFactor)) {
                $0.adding($1.memoryCapacity())
            }
            if cpu.allocatedFraction(adding: request.requiredCpuMHz) > settings.clusterCpuDisableThreshold
                || memory.allocatedFraction(adding: request.memoryBytes) > settings.clusterMemoryDisableThreshold
            {
                result.insert(cluster)
            }
        }
        return result
    }

    @Test("returned hosts are exactly the suitable ones, each once", arguments: AllocationAlgorithm.allCases)
    func matchesTheOracle(algorithm: AllocationAlgorithm) throws {
        var generator = SplitMix64(seed: 0x5EED)
        var planned = 0
        for _ in 0..<300 {
            let hosts = Self.randomHosts(&generator)
            let request = Self.randomRequest(&generator, hosts: hosts)
            let settings = Self.randomSettings(&generator, algorithm)
            let crossing = Self.crossing(hosts, request, settings)
            let expected = hosts.filter {
                DeploymentPlanner.unsuitability(of: $0, for: request, settings: settings) == nil
                    && !crossing.contains($0.clusterId)
            }
            do throws(PlacementError) {
                let result = try DeploymentPlanner.plan(
                    request: request,
                    hosts: hosts,
                    settings: settings,
                    generator: &generator
                )
                planned += 1
                #expect(Set(result.hostIds).count == result.hosts.count)
                #expect(Set(result.hostIds) == Set(expected.map(\.id)))
                #expect(Set(result.clustersCrossingThreshold).isSubset(of: crossing))
                for host in result.hosts {
                    let cpuFactor = settings.cpuOverprovisioningFactor(cluster: host.clusterId)
                    let memoryFactor = settings.memoryOverprovisioningFactor(cluster: host.clusterId)
                    #expect(
                        Double(host.usedCpuMHz + host.reservedCpuMHz + request.requiredCpuMHz)
                            <= Double(host.totalCpuMHz) * cpuFactor
                    )
                    #expect(
                        Double(host.usedMemoryBytes + host.reservedMemoryBytes + request.memoryBytes)
                            <= Double(host.totalMemoryBytes) * memoryFactor
                    )
                    #expect(request.hostTags.isSubset(of: host.hostTags))
                    #expect(!request.antiAffinityHostIds.contains(host.id))
                    #expect(!request.avoidHostIds.contains(host.id))
                    #expect(host.isAllocatable && host.zoneId == request.zoneId)
                }
                // Each cluster's hosts come together.
                var seen: [String] = []
                for cluster in result.hosts.map(\.clusterId) where seen.last != cluster {
                    #expect(!seen.contains(cluster))
                    seen.append(cluster)
                }
            } catch {
                #expect(expected.isEmpty, "\(error)")
                #expect(error.code == .insufficientCapacity)
            }
        }
        #expect(planned > 30)
    }

    @Test("an explicit host is returned exactly when it is suitable", arguments: AllocationAlgorithm.allCases)
    func explicitHost(algorithm: AllocationAlgorithm) {
        var generator = SplitMix64(seed: 0xE4)
        for _ in 0..<200 {
            let hosts = Self.randomHosts(&generator)
            guard let chosen = hosts.randomElement(using: &generator) else { continue }
            var request = Self.randomRequest(&generator, hosts: hosts)
            request.hostId = chosen.id
            let settings = Self.randomSettings(&generator, algorithm)
            let refusal = DeploymentPlanner.unsuitability(of: chosen, for: request, settings: settings)
            switch F.plan(request, hosts, algorithm, settings: settings) {
            case .success(let ids):
                #expect(ids == [chosen.id])
                #expect(refusal == nil)
            case .failure(let error):
                #expect(error.code == (chosen.zoneId == "z1" ? .hostNotSuitable : .hostNotFound))
                #expect(refusal != nil)
            }
        }
    }
}
