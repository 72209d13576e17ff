import ArgumentParser
import CloudModel
import Foundation

extension ZooStackBench {
    /// `zoostack-bench placement`: the time of one placement decision over a large zone, per allocation algorithm.
    struct PlacementBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "placement",
            abstract: "Time one placement decision per vm.allocation.algorithm over many hosts.",
            discussion: """
                Builds --hosts random hosts (UUID ids, 8-64 cores, 64-512 GiB, 0-70% used, a third tagged \
                "ssd") in --clusters clusters of 10 pods, then times --decisions calls of \
                DeploymentPlanner.plan per algorithm, each for a random request (1-8 CPUs, 1-16 GiB, a tag one \
                time in four, 50 hosts with the account's VMs, 5 anti-affinity hosts), and prints the p50, p99 \
                and maximum time of one decision. Build with -c release.
                """
        )

        @Option(help: "Hosts in the zone.")
        var hosts: Int = 10_000

        @Option(help: "Clusters the hosts are spread over.")
        var clusters: Int = 100

        @Option(help: "Placement decisions timed per algorithm.")
        var decisions: Int = 1000

        @Option(help: "Seed of the hosts, requests and shuffles.")
        var seed: UInt64 = 1

        func validate() throws {
            guard self.hosts > 0, self.clusters > 0, self.decisions > 0 else {
                throw ValidationError("--hosts, --clusters and --decisions must be positive.")
            }
        }

        func run() async throws {
            var generator = SplitMix64(seed: self.seed)
            let hosts = self.makeHosts(&generator)
            let requests = (0..<self.decisions).map { _ in self.makeRequest(hosts, &generator) }
            Console.out("placement: \(hosts.count) hosts in \(self.clusters) clusters, \(self.decisions) decisions")
            for algorithm in AllocationAlgorithm.allCases {
                let settings = PlacementSettings(allocationAlgorithm: algorithm)
                var nanoseconds: [UInt64] = []
                nanoseconds.reserveCapacity(requests.count)
                var returned = 0
                var failed = 0
                for request in requests {
                    let began = BenchPhase.now()
                    do {
                        let result = try DeploymentPlanner.plan(
                            request: request,
                            hosts: hosts,
                            settings: settings,
                            generator: &generator
                        )
                        returned += result.count
                    } catch {
                        failed += 1
                    }
                    nanoseconds.append(BenchPhase.now() &- began)
                }
                nanoseconds.sort()
                Console.out(self.line(algorithm, nanoseconds, returned: returned, failed: failed))
                Console.flush()
            }
        }

        private func line(_ algorithm: AllocationAlgorithm, _ sorted: [UInt64], returned: Int, failed: Int) -> String {
            func ms(_ value: UInt64) -> String { String(format: "%7.3f ms", Double(value) / 1e6) }
            let name = algorithm.rawValue.padding(toLength: 30, withPad: " ", startingAt: 0)
            let p50 = sorted[sorted.count / 2]
            let p99 = sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))]
            let average = returned / max(1, sorted.count - failed)
            return name + "p50 \(ms(p50))  p99 \(ms(p99))  max \(ms(sorted.last!))  "
                + "(\(average) hosts returned on average, \(failed) refused)"
        }

        private func makeHosts(_ generator: inout SplitMix64) -> [HostCandidate] {
            let perCluster = max(1, self.hosts / self.clusters)
            return (0..<self.hosts).map { index in
                let cluster = min(index / perCluster, self.clusters - 1)
                let cores = [8, 16, 32, 64].randomElement(using: &generator)!
                let speed = [2000, 2400, 3000].randomElement(using: &generator)!
                let memory = [64, 128, 256, 512].randomElement(using: &generator)! << 30
                let used = Double.random(in: 0...0.7, using: &generator)
                return HostCandidate(
                    id: UUID().uuidString.lowercased(),
                    zoneId: "zone-1",
                    podId: "pod-\(cluster % 10)",
                    clusterId: "cluster-\(cluster)",
                    cpuCores: cores,
                    cpuSpeedMHz: speed,
                    totalMemoryBytes: memory,
                    usedCpuMHz: Int(Double(cores * speed) * used),
                    usedMemoryBytes: Int(Double(memory) * used),
                    hostTags: Int.random(in: 0..<3, using: &generator) == 0 ? ["ssd"] : []
                )
            }
        }

        private func makeRequest(_ hosts: [HostCandidate], _ generator: inout SplitMix64) -> PlacementRequest {
            var vms: [String: Int] = [:]
            for _ in 0..<50 {
                vms[hosts.randomElement(using: &generator)!.id] = Int.random(in: 1...4, using: &generator)
            }
            return PlacementRequest(
                zoneId: "zone-1",
                cpuNumber: Int.random(in: 1...8, using: &generator),
                cpuSpeedMHz: [1000, 2000].randomElement(using: &generator)!,
                memoryBytes: Int.random(in: 1...16, using: &generator) << 30,
                hostTags: Int.random(in: 0..<4, using: &generator) == 0 ? ["ssd"] : [],
                accountId: "account-1",
                accountVMCountByHost: vms,
                antiAffinityHostIds: Set((0..<5).map { _ in hosts.randomElement(using: &generator)!.id })
            )
        }
    }
}
