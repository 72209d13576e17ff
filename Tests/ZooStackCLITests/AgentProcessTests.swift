import Coordination
import Foundation
import Testing

/// A background `zoostack` (or `zoostack-agent`) process whose output goes to a file the test polls.
final class BackgroundZooStack {
    let process: Process
    let outputPath: String

    /// Starts `executable` (default: `zoostack`) with arguments.
    init(_ arguments: [String], executable: URL = ZooStackExecutable.url) throws {
        try #require(FileManager.default.isExecutableFile(atPath: executable.path), "run swift build")
        self.outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("zoostack-bg-\(UUID())").path
        _ = FileManager.default.createFile(atPath: self.outputPath, contents: nil)
        self.process = Process()
        self.process.executableURL = executable
        self.process.arguments = arguments
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: self.outputPath))
        self.process.standardOutput = output
        self.process.standardError = output
        try self.process.run()
    }

    /// Everything printed so far.
    var output: String { (try? String(contentsOfFile: self.outputPath, encoding: .utf8)) ?? "" }

    /// Waits (polling, up to `timeout`) for a line starting with `prefix`; returns the line.
    func line(startingWith prefix: String, timeout: Duration = .seconds(60)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = self.output.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) {
                return String(line)
            }
            guard self.process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("no line starting with \"\(prefix)\"; output:\n\(self.output)")
        throw CancellationError()
    }

    /// Sends a signal and waits for the exit.
    func stop(signal: Int32 = SIGTERM) {
        if self.process.isRunning {
            kill(self.process.processIdentifier, signal)
            self.process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: self.outputPath)
    }
}

@Suite("zoostack agent as a process")
struct AgentProcessTests {
    /// A new cluster credentials file (mode 0600) for an agent and the test's ZooKeeper clients.
    static func credentialsFile() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("zoostack-creds-\(UUID())").path
        let password = (0..<4).map { _ in String(UInt64.random(in: .min ... .max), radix: 16) }.joined()
        _ = FileManager.default.createFile(
            atPath: path,
            contents: Data("zoostack:\(password)0123456789abcdef\n".utf8),
            attributes: [.posixPermissions: 0o600]
        )
        return path
    }

    /// Polls `zoostack zk get PATH` (authenticated with `credentials`) until `exists` holds for the node.
    static func waitForNode(
        _ path: String,
        server: String,
        credentials: String,
        exists: Bool,
        timeout: Duration = .seconds(60)
    ) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        var last = ZooStackExecutable.Result(status: -1, stdout: "", stderr: "")
        while ContinuousClock.now < deadline {
            last = try await ZooStackExecutable.run([
                "zk", "--server", server, "--cluster-credentials", credentials, "get", path,
            ])
            if (last.status == 0) == exists { return last.stdout }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("\(path) \(exists ? "never appeared" : "never vanished"): \(last.stdout)\(last.stderr)")
        throw CancellationError()
    }

    @Test(.timeLimit(.minutes(3)))
    func agentRegistersItsHostAndVanishesAfterSIGKILL() async throws {
        let zookeeper = try BackgroundZooStack([
            "zookeeper", "--port", "0", "--metrics-port", "0", "--in-memory", "--tick-time", "200",
        ])
        defer { zookeeper.stop() }
        let listening = try await zookeeper.line(startingWith: "ZooKeeper-compatible server listening on ")
        let endpoint = try #require(listening.split(separator: " ").dropFirst(4).first.map(String.init))
        let hostId = UUID().uuidString.lowercased()
        let root = "/t-\(UInt32.random(in: .min ... .max))/zoostack"
        let credentials = try Self.credentialsFile()
        defer { try? FileManager.default.removeItem(atPath: credentials) }
        let agent = try BackgroundZooStack([
            "agent", "--simulator", "--zookeeper", endpoint, "--host-id", hostId, "--name", "cli-agent",
            "--cpu", "4", "--cpu-speed", "2500", "--memory", "8192", "--zone", "zone-a", "--port", "0",
            "--session-timeout-ms", "1000", "--root", root, "--cluster-credentials", credentials,
        ])
        defer { agent.stop() }
        let ready = try await agent.line(startingWith: "ZooStack agent \(hostId) ready on 127.0.0.1:")
        let address = String(ready.dropFirst("ZooStack agent \(hostId) ready on ".count))

        let node = try await Self.waitForNode(
            ZNodeLayout(root: root).hostPath(hostId),
            server: endpoint,
            credentials: credentials,
            exists: true
        )
        // The node is the cluster's: an anonymous client cannot read (or delete) it.
        let anonymous = try await ZooStackExecutable.run([
            "zk", "--server", endpoint, "get", ZNodeLayout(root: root).hostPath(hostId),
        ])
        #expect(anonymous.status == 1 && anonymous.stderr.contains("Insufficient permission"), "\(anonymous.stderr)")
        let info = try #require(
            try JSONSerialization.jsonObject(with: Data(node.utf8)) as? [String: Any],
            "not JSON: \(node)"
        )
        #expect(info["address"] as? String == address)
        #expect(info["name"] as? String == "cli-agent")
        #expect(info["cpuCores"] as? Int == 4)
        #expect(info["cpuSpeedMHz"] as? Int == 2500)
        #expect(info["memoryBytes"] as? Int == 8192 << 20)
        #expect(info["zoneId"] as? String == "zone-a")

        // SIGKILL: nothing deregisters; the node goes when the session times out.
        agent.stop(signal: SIGKILL)
        _ = try await Self.waitForNode(
            ZNodeLayout(root: root).hostPath(hostId),
            server: endpoint,
            credentials: credentials,
            exists: false
        )
    }

    @Test(.timeLimit(.minutes(3)))
    func sigtermDeregistersAtOnce() async throws {
        let zookeeper = try BackgroundZooStack(["zookeeper", "--port", "0", "--metrics-port", "0", "--in-memory"])
        defer { zookeeper.stop() }
        let listening = try await zookeeper.line(startingWith: "ZooKeeper-compatible server listening on ")
        let endpoint = try #require(listening.split(separator: " ").dropFirst(4).first.map(String.init))
        let credentials = try Self.credentialsFile()
        defer { try? FileManager.default.removeItem(atPath: credentials) }
        let agent = try BackgroundZooStack([
            "agent", "--simulator", "--zookeeper", endpoint, "--cpu", "2", "--memory", "1024",
            "--cluster-credentials", credentials,
        ])
        defer { agent.stop() }
        let ready = try await agent.line(startingWith: "ZooStack agent ")
        // The default host id is a lowercase UUID.
        let hostId = String(ready.split(separator: " ")[2])
        #expect(UUID(uuidString: hostId) != nil && hostId == hostId.lowercased(), "\(ready)")
        _ = try await Self.waitForNode(
            ZNodeLayout().hostPath(hostId),
            server: endpoint,
            credentials: credentials,
            exists: true
        )
        agent.stop(signal: SIGTERM)
        #expect(agent.process.terminationStatus == 0)
        // The session (10 s default) would keep the node; a deregistered agent's node is gone already.
        let gone = try await ZooStackExecutable.run([
            "zk", "--server", endpoint, "--cluster-credentials", credentials, "get", ZNodeLayout().hostPath(hostId),
        ])
        #expect(gone.status != 0 && gone.stderr.contains("does not exist"), "\(gone.stdout)\(gone.stderr)")
    }

    /// `zoostack-agent` is `zoostack agent` in an executable of its own: the same options register the host and
    /// SIGTERM deregisters it; it loads no FoundationNetworking (nor the TLS libraries libcurl brings).
    @Test(.timeLimit(.minutes(3)))
    func leanAgentExecutableRegistersAndDeregisters() async throws {
        let zookeeper = try BackgroundZooStack(["zookeeper", "--port", "0", "--metrics-port", "0", "--in-memory"])
        defer { zookeeper.stop() }
        let listening = try await zookeeper.line(startingWith: "ZooKeeper-compatible server listening on ")
        let endpoint = try #require(listening.split(separator: " ").dropFirst(4).first.map(String.init))
        let credentials = try Self.credentialsFile()
        defer { try? FileManager.default.removeItem(atPath: credentials) }
        let agent = try BackgroundZooStack(
            [
                "--simulator", "--zookeeper", endpoint, "--cpu", "2", "--memory", "1024", "--name", "lean-agent",
                "--cluster-credentials", credentials,
            ],
            executable: ZooStackExecutable.agentURL
        )
        defer { agent.stop() }
        let ready = try await agent.line(startingWith: "ZooStack agent ")
        let hostId = String(ready.split(separator: " ")[2])
        let node = try await Self.waitForNode(
            ZNodeLayout().hostPath(hostId),
            server: endpoint,
            credentials: credentials,
            exists: true
        )
        #expect(node.contains("\"lean-agent\""), "\(node)")
        let maps = try String(contentsOfFile: "/proc/\(agent.process.processIdentifier)/maps", encoding: .utf8)
        #expect(!maps.contains("libFoundationNetworking") && !maps.contains("libcurl"), "\(maps)")
        agent.stop(signal: SIGTERM)
        #expect(agent.process.terminationStatus == 0)
        let gone = try await ZooStackExecutable.run([
            "zk", "--server", endpoint, "--cluster-credentials", credentials, "get", ZNodeLayout().hostPath(hostId),
        ])
        #expect(gone.status != 0 && gone.stderr.contains("does not exist"), "\(gone.stdout)\(gone.stderr)")
    }
}
