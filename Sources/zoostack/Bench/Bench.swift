import ArgumentParser

extension ZooStack {
    /// `zoostack bench`: load generators that print throughput and latency per phase.
    struct Bench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bench",
            abstract: "Measure throughput and latency.",
            subcommands: [ZooKeeperBench.self, PlacementBench.self, CloudBench.self, ClusterBench.self]
        )
    }
}

/// A benchmark failure with a message.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
