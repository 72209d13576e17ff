import ClusterHarness
import Foundation
import Synchronization
import Testing
import ZooKeeperTestSupport

/// Issue 11: `zoostack serve` SIGKILLed in the middle of API calls starts again on the same data directory and
/// serves within its session timeout, with the embedded ZooKeeper-compatible server and with Apache ZooKeeper 3.8:
/// its dead incarnation's session (membership, leadership, in-process hosts) is closed through the session
/// recorded in the data directory instead of holding the server's id until it expires.
@Suite("zoostack serve restarts after a crash", .serialized)
struct CrashRestartTests {
    /// serve's default session timeout.
    static let sessionTimeout = Duration.seconds(10)
    /// For the restarted process to start, recover and answer a first `zoostack call`.
    static let margin = Duration.seconds(10)

    @Test(.timeLimit(.minutes(3)))
    func embeddedZooKeeper() async throws {
        try await Self.crashUnderLoadThenRestart(arguments: [])
    }

    @Test(.timeLimit(.minutes(3)))
    func externalApacheZooKeeper() async throws {
        try await withApacheZooKeeper { zookeeper in
            try await Self.crashUnderLoadThenRestart(
                arguments: ["--zookeeper", zookeeper.connectString, "--simulated-hosts", "2"]
            )
        }
    }

    static func crashUnderLoadThenRestart(arguments: [String]) async throws {
        let cloud = try await ServedCloud.start(arguments: arguments)
        var keep = true
        defer { cloud.stop(keepingData: keep) }
        let ids = try await CallOutputTests.catalogue(cloud)
        let deployment = ["zoneid": ids[0], "templateid": ids[1], "serviceofferingid": ids[2]]
        let credentials = try CallOutputTests.json(String(contentsOfFile: cloud.credentials, encoding: .utf8))
        let client = CloudClient(
            port: cloud.apiPort,
            apiKey: try #require(credentials["apikey"] as? String),
            secret: try #require(credentials["secretkey"] as? String)
        )

        // The sessions the process recorded: the coordinator's and the in-process agent's (its hosts').
        var recorded: [String] = []
        try await poll("both sessions recorded", timeout: .seconds(30)) {
            recorded = ["zookeeper-session", "agent-zookeeper-session"].compactMap { name in
                let text = try? String(contentsOfFile: "\(cloud.dataDir)/\(name)", encoding: .utf8)
                return text?.split(separator: " ").first.flatMap { UInt64($0, radix: 16) }.map {
                    "0x" + String($0, radix: 16)
                }
            }
            return recorded.count == 2
        }

        // Deployments and lists from several clients; the process is killed once a few have been answered, with
        // more in flight. Each worker stops at its first failed call (the server is gone).
        let answered = AnsweredCalls()
        let pid = cloud.process.processIdentifier
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<6 {
                group.addTask {
                    for round in 0..<20 {
                        do {
                            if (worker + round).isMultiple(of: 2) {
                                _ = try await client.call("deployVirtualMachine", deployment)
                            } else {
                                _ = try await client.call("listVirtualMachines", ["listall": "true"])
                            }
                            answered.count.add(1, ordering: .relaxed)
                        } catch {
                            return
                        }
                    }
                }
            }
            group.addTask {
                let deadline = ContinuousClock.now + .seconds(60)
                while answered.count.load(ordering: .relaxed) < 8, ContinuousClock.now < deadline {
                    try? await Task.sleep(for: .milliseconds(5))
                }
                kill(pid, SIGKILL)
            }
        }
        cloud.crash()
        #expect(answered.count.load(ordering: .relaxed) >= 8, "the load never got going:\n\(cloud.log.suffix(3000))")

        let restartedAt = ContinuousClock.now
        let restarted = try await ServedCloud.start(
            dataDir: cloud.dataDir,
            apiPort: cloud.apiPort,
            arguments: arguments
        )
        keep = false
        defer { restarted.stop() }
        let took = ContinuousClock.now - restartedAt
        print("crash-restart \(arguments.isEmpty ? "embedded" : "external"): serving again after \(took)")
        #expect(took < Self.sessionTimeout + Self.margin, "restart took \(took)")
        // Both dead sessions were closed, not waited out.
        for session in recorded {
            #expect(
                restarted.log.contains("closed the previous incarnation's session \(session)"),
                "\(session) not closed:\n\(restarted.log.suffix(3000))"
            )
        }

        // This server is listed Up.
        let serverId = try String(contentsOfFile: "\(cloud.dataDir)/server-id", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let servers = try await restarted.call(["listManagementServers", "--output", "json"])
        let listing = try #require(
            try CallOutputTests.json(servers.stdout)["listmanagementserversresponse"] as? [String: Any],
            "\(servers.stdout)\(servers.stderr)"
        )
        let entries = listing["managementserver"] as? [[String: Any]] ?? []
        let own = try #require(entries.first { $0["name"] as? String == serverId }, "\(entries)")
        #expect(own["state"] as? String == "Up", "\(own)")

        // Its in-process hosts, registered by the dead incarnation's other session, are served again (the dead
        // session was closed, so the host nodes are the new session's: nothing goes Disconnected later).
        try await poll("the in-process hosts Up again", timeout: .seconds(30)) {
            let hosts = try await restarted.call(["listHosts", "type=Routing", "--output", "json"])
            let content = try CallOutputTests.json(hosts.stdout)["listhostsresponse"] as? [String: Any]
            let states = (content?["host"] as? [[String: Any]] ?? []).compactMap { $0["state"] as? String }
            return !states.isEmpty && states.allSatisfy { $0 == "Up" }
        }
    }
}

/// The calls the load got answered before the crash.
private final class AnsweredCalls: Sendable {
    let count = Atomic<Int>(0)
}
