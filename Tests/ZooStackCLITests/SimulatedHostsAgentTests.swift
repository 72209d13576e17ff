import Coordination
import Foundation
import Testing

/// `zoostack agent --simulator --hosts N` (issue 18): N hosts in one process, one ZooKeeper session for all.
@Suite("zoostack agent --hosts N")
struct SimulatedHostsAgentTests {
    /// The host ids of an agent's ready lines, once all `count` are printed.
    static func readyIds(_ agent: BackgroundZooStack, count: Int) async throws -> [String] {
        _ = try await agent.line(startingWith: "ZooStack agent ")
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let ids = agent.output.split(separator: "\n").filter { $0.hasPrefix("ZooStack agent ") }
                .map { String($0.split(separator: " ")[2]) }
            if ids.count >= count { return ids }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("fewer than \(count) ready lines:\n\(agent.output)")
        throw CancellationError()
    }

    @Test(.timeLimit(.minutes(3)))
    func hostsShareOneSessionAndKeepTheirIdsInTheDataDirectory() async throws {
        let zookeeper = try BackgroundZooStack(["zookeeper", "--port", "0", "--metrics-port", "0", "--in-memory"])
        defer { zookeeper.stop() }
        let listening = try await zookeeper.line(startingWith: "ZooKeeper-compatible server listening on ")
        let endpoint = try #require(listening.split(separator: " ").dropFirst(4).first.map(String.init))
        let credentials = try AgentProcessTests.credentialsFile()
        let dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("zs-sim-\(UUID())").path
        defer {
            try? FileManager.default.removeItem(atPath: credentials)
            try? FileManager.default.removeItem(atPath: dataDir)
        }
        let arguments = [
            "agent", "--simulator", "--hosts", "3", "--zookeeper", endpoint, "--cpu", "2", "--memory", "1024",
            "--name", "sim", "--data-dir", dataDir, "--cluster-credentials", credentials,
        ]
        let first = try BackgroundZooStack(arguments)
        defer { first.stop() }
        let ids = try await Self.readyIds(first, count: 3)
        #expect(Set(ids).count == 3 && ids.allSatisfy { UUID(uuidString: $0) != nil }, "\(ids)")
        for (index, id) in ids.enumerated() {
            let node = try await AgentProcessTests.waitForNode(
                ZNodeLayout().hostPath(id),
                server: endpoint,
                credentials: credentials,
                exists: true
            )
            #expect(node.contains("\"sim-\(index + 1)\""), "\(node)")
        }
        // One session holds all three nodes.
        var owners: Set<String> = []
        for id in ids {
            let stat = try await ZooStackExecutable.run([
                "zk", "--server", endpoint, "--cluster-credentials", credentials, "stat", ZNodeLayout().hostPath(id),
            ])
            owners.formUnion(
                stat.stdout.split(separator: "\n").filter { $0.hasPrefix("ephemeralOwner") }.map(String.init)
            )
        }
        #expect(owners.count == 1, "\(owners)")
        first.stop(signal: SIGTERM)
        #expect(first.process.terminationStatus == 0)
        for id in ids {
            _ = try await AgentProcessTests.waitForNode(
                ZNodeLayout().hostPath(id),
                server: endpoint,
                credentials: credentials,
                exists: false
            )
        }

        // Restarted on the same data directory, the process is the same three hosts.
        let second = try BackgroundZooStack(arguments)
        defer { second.stop() }
        #expect(try await Self.readyIds(second, count: 3) == ids)
    }
}
