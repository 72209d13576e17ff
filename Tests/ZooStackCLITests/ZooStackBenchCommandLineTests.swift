import Foundation
import Testing

/// The benchmarks are `zoostack-bench`, an executable apart from the shipped `zoostack`, which has no `bench`.
struct ZooStackBenchCommandLineTests {
    /// `zoostack-bench`, built beside `zoostack`.
    static let url = ZooStackExecutable.url.deletingLastPathComponent().appendingPathComponent("zoostack-bench")

    @Test func shippedBinaryHasNoBench() async throws {
        let help = try await ZooStackExecutable.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("serve"))
        #expect(!help.stdout.contains("bench"))
        let result = try await ZooStackExecutable.run(["bench"])
        #expect(result.status == 64)
        #expect(result.stderr.hasPrefix("Error: Unexpected argument 'bench'"))
    }

    @Test func benchListsEveryBenchmark() async throws {
        let result = try await ZooStackExecutable.run(["--help"], executable: Self.url)
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE: zoostack-bench <subcommand>"))
        for benchmark in ["zookeeper", "placement", "cloud", "cluster"] {
            #expect(result.stdout.contains("\n  \(benchmark) "), "no \(benchmark) in \(result.stdout)")
        }
    }

    @Test func usageErrorExits64() async throws {
        let result = try await ZooStackExecutable.run(
            ["zookeeper", "--server", "127.0.0.1:2181", "--ops", "0"],
            executable: Self.url
        )
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("Error: --ops, --window and --clients must be positive."))
        #expect(result.stderr.contains("Usage: zoostack-bench zookeeper"))
    }

    @Test func placementRunsOnATinyZone() async throws {
        let result = try await ZooStackExecutable.run(
            ["placement", "--hosts", "100", "--decisions", "10"],
            executable: Self.url
        )
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("placement: 100 hosts in 100 clusters, 10 decisions\n"))
        #expect(result.stdout.contains("firstfit "))
    }
}
