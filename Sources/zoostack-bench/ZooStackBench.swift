import ArgumentParser

/// The `zoostack-bench` command: load generators that print throughput and latency per phase.
///
/// The benchmarks live in an executable of their own, as swift-nio keeps its benchmarks apart, so that the
/// shipped `zoostack` links no test support: `cluster` starts its processes with `ClusterHarness` (a throwaway
/// PostgreSQL cluster, the Apache ZooKeeper launcher) and runs the `zoostack` built beside this executable.
@main
struct ZooStackBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zoostack-bench",
        abstract: "Measure throughput and latency.",
        subcommands: [
            ZooKeeperBench.self, PlacementBench.self, CloudBench.self, ClusterBench.self, ScaleBench.self, VMBench.self,
            MigrationBench.self,
        ]
    )
}

/// A benchmark failure with a message.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
