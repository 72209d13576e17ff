import ClusterHarness
import Foundation
import Testing

/// SIGTERM stops `zoostack serve` and `zoostack zookeeper` cleanly (one `ServiceGroup` each): exit 0, no error
/// logged; serve lets its running job finish, then leaves ZooKeeper at once (its membership and its in-process
/// hosts' nodes are gone, not left to their session timeout); the ZooKeeper server syncs its txn log.
@Suite("SIGTERM stops cleanly", .serialized)
struct GracefulStopTests {
    /// The lines of a log at level error or critical (swift-log's stream format: `TIMESTAMP LEVEL LABEL: ...`).
    static func errorLines(_ log: String) -> [Substring] {
        log.split(separator: "\n").filter { line in
            line.contains(" error ") || line.contains(" critical ") || line.contains("Waiting on child channel")
        }
    }

    /// Sends SIGTERM and waits (up to `limit`) for the exit.
    static func terminate(_ process: Process, within limit: Duration = .seconds(60)) async throws {
        process.terminate()
        _ = try await poll("exit after SIGTERM", timeout: limit, every: .milliseconds(50)) { !process.isRunning }
    }

    /// The children of a node, as `zoostack zk ls` prints them.
    static func children(_ path: String, server: String, credentials: String) async throws -> [String] {
        let listed = try await ZooStackExecutable.run([
            "zk", "--server", server, "--cluster-credentials", credentials, "ls", path,
        ])
        try #require(listed.status == 0, "\(listed.stderr)")
        let inner = listed.stdout.trimmingCharacters(in: .whitespacesAndNewlines).dropFirst().dropLast()
        return inner.split(separator: ", ").map(String.init)
    }

    /// The ids of the live hosts, `/zoostack/hosts/BUCKET/HOSTID`, as `zoostack zk ls -R` prints their paths.
    static func liveHosts(server: String, credentials: String) async throws -> [String] {
        let listed = try await ZooStackExecutable.run([
            "zk", "--server", server, "--cluster-credentials", credentials, "ls", "-R", "/zoostack/hosts",
        ])
        try #require(listed.status == 0, "\(listed.stderr)")
        return listed.stdout.split(separator: "\n").map { $0.split(separator: "/") }.filter { $0.count == 4 }
            .map { String($0[3]) }
    }

    @Test(.timeLimit(.minutes(4)))
    func serveFinishesItsJobAndLeavesZooKeeperAtOnce() async throws {
        let zookeeper = try BackgroundZooStack(["zookeeper", "--port", "0", "--metrics-port", "0", "--in-memory"])
        defer { zookeeper.stop() }
        let listening = try await zookeeper.line(startingWith: "ZooKeeper-compatible server listening on ")
        let endpoint = try #require(listening.split(separator: " ").dropFirst(4).first.map(String.init))
        let arguments = ["--zookeeper", endpoint, "--simulated-hosts", "2"]
        let cloud = try await ServedCloud.start(arguments: arguments)
        var keep = true
        defer { cloud.stop(keepingData: keep) }
        let credentials = "\(cloud.dataDir)/cluster-credentials"
        let serverId = try String(contentsOfFile: "\(cloud.dataDir)/server-id", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try await poll("the in-process hosts registered", timeout: .seconds(60), every: .milliseconds(200)) {
            try await Self.liveHosts(server: endpoint, credentials: credentials).count == 2
        }
        #expect(
            try await Self.children("/zoostack/managementservers", server: endpoint, credentials: credentials)
                == [serverId]
        )
        let ids = try await CallOutputTests.catalogue(cloud)
        // The VM's start takes 8 s: the deployment's job runs when SIGTERM comes.
        let slow = try await cloud.call(["configureSimulator", "name=StartCommand", "value=wait:8000", "count=1"])
        #expect(slow.status == 0, "\(slow.stderr)")
        // A deployment in flight (the call waits for the coordinated job): SIGTERM comes while its job runs.
        let deploy = try BackgroundZooStack([
            "call", "--profile", cloud.credentials, "deployVirtualMachine", "zoneid=\(ids[0])",
            "templateid=\(ids[1])", "serviceofferingid=\(ids[2])", "--no-wait", "--output", "json",
        ])
        defer { deploy.stop() }
        var jobId = ""
        _ = try await poll("the deployment's job running", timeout: .seconds(30), every: .milliseconds(100)) {
            let listed = try await cloud.call(["listAsyncJobs", "--output", "json"])
            let response = try CallOutputTests.json(listed.stdout)["listasyncjobsresponse"] as? [String: Any]
            let jobs = response?["asyncjobs"] as? [[String: Any]] ?? []
            guard let pending = jobs.first(where: { $0["jobstatus"] as? Int == 0 }) else { return false }
            jobId = pending["jobid"] as? String ?? ""
            return true
        }

        try await Self.terminate(cloud.process)
        #expect(cloud.process.terminationStatus == 0, "\(cloud.log.suffix(3000))")
        #expect(Self.errorLines(cloud.log).isEmpty, "\(cloud.log.suffix(3000))")
        // The call in flight was answered.
        _ = try await poll("the deployment call's exit", timeout: .seconds(30)) { !deploy.process.isRunning }
        #expect(deploy.process.terminationStatus == 0, "\(deploy.output)")
        #expect(deploy.output.contains(jobId), "\(deploy.output)")
        // The API is closed; the server and its hosts left ZooKeeper (their sessions would hold them 10 s).
        #expect(try await cloud.call(["listZones"]).status != 0)
        #expect(
            try await Self.children("/zoostack/managementservers", server: endpoint, credentials: credentials) == []
        )
        #expect(try await Self.liveHosts(server: endpoint, credentials: credentials) == [])

        // The job finished before the server left (an unfinished one would be failed at the restart).
        let restarted = try await ServedCloud.start(
            dataDir: cloud.dataDir,
            apiPort: cloud.apiPort,
            arguments: arguments
        )
        keep = false
        defer { restarted.stop() }
        #expect(try await Self.jobStatus(jobId, restarted) == 1)
    }

    /// A job's `jobstatus` (0 pending, 1 succeeded, 2 failed).
    static func jobStatus(_ jobId: String, _ cloud: ServedCloud) async throws -> Int? {
        let answer = try await cloud.call(["queryAsyncJobResult", "jobid=\(jobId)", "--output", "json"])
        let result = try #require(
            try CallOutputTests.json(answer.stdout)["queryasyncjobresultresponse"] as? [String: Any],
            "\(answer.stdout)\(answer.stderr)"
        )
        return result["jobstatus"] as? Int
    }

    @Test(.timeLimit(.minutes(3)))
    func serveWithTheEmbeddedZooKeeperStopsCleanly() async throws {
        let cloud = try await ServedCloud.start()
        defer { cloud.stop() }
        try await Self.terminate(cloud.process)
        #expect(cloud.process.terminationStatus == 0, "\(cloud.log.suffix(3000))")
        #expect(Self.errorLines(cloud.log).isEmpty, "\(cloud.log.suffix(3000))")
        #expect(cloud.log.contains("ZooKeeper server stopped"), "\(cloud.log.suffix(3000))")
    }

    @Test(.timeLimit(.minutes(2)))
    func zookeeperSyncsItsLogAndExitsZeroAtSIGTERM() async throws {
        let dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("zoostack-zk-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        let first = try BackgroundZooStack(["zookeeper", "--port", "0", "--metrics-port", "0", "--data-dir", dataDir])
        defer { first.stop() }
        let listening = try await first.line(startingWith: "ZooKeeper-compatible server listening on ")
        let endpoint = try #require(listening.split(separator: " ").dropFirst(4).first.map(String.init))
        let created = try await ZooStackExecutable.run(["zk", "--server", endpoint, "create", "/kept", "before"])
        #expect(created.status == 0, "\(created.stderr)")
        try await Self.terminate(first.process)
        #expect(first.process.terminationStatus == 0, "\(first.output)")
        #expect(Self.errorLines(first.output).isEmpty, "\(first.output)")

        let second = try BackgroundZooStack(["zookeeper", "--port", "0", "--metrics-port", "0", "--data-dir", dataDir])
        defer { second.stop() }
        let again = try await second.line(startingWith: "ZooKeeper-compatible server listening on ")
        let restarted = try #require(again.split(separator: " ").dropFirst(4).first.map(String.init))
        let read = try await ZooStackExecutable.run(["zk", "--server", restarted, "get", "/kept"])
        #expect(read.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "before", "\(read.stderr)")
    }
}
