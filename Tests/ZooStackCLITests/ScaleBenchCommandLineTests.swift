import Foundation
import Testing

extension ZooStackBenchCommandLineTests {
    /// `scale` end to end on a small cloud (issue 18): 200 hosts in 2 agent processes, 2 management servers, the
    /// embedded ZooKeeper and PostgreSQL; every phase prints its line with a figure, and the rebalancing after a
    /// server's death moves only that server's hosts.
    @Test(.timeLimit(.minutes(3)))
    func scaleRunsEveryPhaseOnASmallCloud() async throws {
        let result = try await ZooStackExecutable.run(
            ["scale", "--hosts", "200", "--agents", "2", "--servers", "2", "--session-timeout-ms", "4000"],
            executable: Self.url
        )
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("bench scale: 200 hosts in 2 agent processes, 2 management servers") == true)
        for (prefix, unit) in [
            ("adoption", " s  (200 hosts Up"), ("rebalance", " s  (SIGKILL of ms-"),
            ("agent loss", " s to Disconnected"),
            ("failover", " s  (SIGKILL of the leader"), ("zookeeper", " znodes, "), ("postgres", " bytes"),
        ] {
            let line = lines.first { $0.hasPrefix(prefix + " ") }
            let figure = line.map { $0.dropFirst(prefix.count).drop { $0 == " " }.prefix { $0 != " " } }
            #expect(figure.flatMap { Double($0) } != nil, "no \(prefix) figure in:\n\(result.stdout)")
            #expect(line?.contains(unit) == true, "\(line ?? "no \(prefix) line"):\n\(result.stdout)")
        }
        let rebalance = try #require(lines.first { $0.hasPrefix("rebalance ") })
        #expect(rebalance.contains(" 0 of them not ms-"), "\(rebalance)")
        #expect(lines.contains { $0.hasPrefix("load average at the end ") })
    }
}
