import CloudAPI
import CloudCore
import CloudStore
import CloudTestSupport
import Cluster
import Coordination
import Foundation
import Logging
import Orchestrator
import Synchronization
import Testing
import ZooKeeperServer
import ZooKeeperTestSupport

/// One embedded ZooKeeper-compatible server per test process (tick 500 ms: sessions of 1 s to 10 s).
enum SharedZooKeeper {
    static let server = Task { try await ClusterHarness.startZooKeeper() }
}

/// A test's cluster: one fresh PostgreSQL database, one ZooKeeper root, and the runtimes started on them (each
/// stopped at the end by ``close()``).
final class ClusterHarness: Sendable {
    let connectString: String
    let database: String
    let root: String
    let logger: Logger
    private let runtimes = Mutex<[ClusterRuntime]>([])
    private let admin = Mutex<AdminCredentials?>(nil)

    /// A harness on the shared ZooKeeper server, or on the given connect string.
    init(connectString: String? = nil) async throws {
        if let connectString {
            self.connectString = connectString
        } else {
            self.connectString = "127.0.0.1:\(try await SharedZooKeeper.server.value.port)"
        }
        self.database = try await PostgresTestCluster.shared().createDatabase()
        self.root = "/t-\(UInt64.random(in: 0..<UInt64.max))/zoostack"
        var logger = Logger(label: "cluster-test")
        logger.logLevel = .warning
        self.logger = logger
    }

    /// A dedicated embedded ZooKeeper server, tickTime 500 ms (for a test that stops it).
    static func startZooKeeper(port: Int = 0, dataDir: String? = nil) async throws -> ZooKeeperServer {
        try await ZooKeeperTargetSettings(tickTime: .milliseconds(500)).startEmbedded(port: port, dataDir: dataDir)
    }

    /// The configuration of management server `id`.
    func configuration(_ id: String, simulatedHosts: Int = 2) -> ClusterConfiguration {
        ClusterConfiguration(
            store: .postgres(url: self.database),
            connectString: self.connectString,
            rootPath: self.root,
            serverId: id,
            sessionTimeout: .seconds(8),
            simulatedHosts: simulatedHosts,
            sweepInterval: .seconds(1),
            orphanGrace: 1
        )
    }

    /// Starts (and joins) management server `id`.
    @discardableResult
    func start(
        _ id: String,
        simulatedHosts: Int = 2,
        extensions: [any ClusterExtension] = []
    ) async throws -> ClusterRuntime {
        let runtime = try await ClusterRuntime.start(
            configuration: self.configuration(id, simulatedHosts: simulatedHosts),
            address: "127.0.0.1:\(8080 + id.count)",
            extensions: extensions,
            logger: self.logger
        )
        self.runtimes.withLock { $0.append(runtime) }
        if let credentials = runtime.credentials { self.admin.withLock { $0 = credentials } }
        return runtime
    }

    /// Stops every runtime.
    func close() async {
        for runtime in self.runtimes.withLock({ $0 }) { await runtime.stop() }
    }

    /// Calls `command` on `runtime` as the admin; returns the HTTP status and the envelope's content.
    func call(
        _ runtime: ClusterRuntime,
        _ command: String,
        _ parameters: [String: String] = [:]
    ) async throws -> (status: Int, body: APIValue) {
        let admin = try #require(self.admin.withLock { $0 }, "no server bootstrapped the database")
        let pairs = RequestSigner.signedCall(
            command,
            parameters.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
            apiKey: admin.apikey,
            secret: admin.secretkey
        )
        let api = ManagementServer(core: runtime.core, logger: self.logger)
        let response = await api.handle(APIRequest(method: "GET", parameters: APIParameters(pairs)))
        let envelope = APIValue.parse(json: response.body).flatMap { value -> APIValue? in
            guard case .object(let members) = value else { return nil }
            return members.first?.1
        }
        return (response.status, envelope ?? .object([]))
    }

    /// The items of a list command.
    func list(
        _ runtime: ClusterRuntime,
        _ command: String,
        _ item: String,
        _ parameters: [String: String] = [:]
    ) async throws -> [APIValue] {
        let (status, body) = try await self.call(runtime, command, parameters)
        #expect(status == 200, "\(command): \(body.json)")
        guard case .array(let items)? = body[item] else { return [] }
        return items
    }

    /// Deploys a VM through `runtime` (first zone, featured template, Small Instance) and waits for its job.
    func deploy(_ runtime: ClusterRuntime) async throws -> String {
        let zone = try #require(try await self.list(runtime, "listZones", "zone").first?["id"]?.stringValue)
        let template = try #require(
            try await self.list(runtime, "listTemplates", "template", ["templatefilter": "featured"]).first?["id"]?
                .stringValue
        )
        let offering = try #require(
            try await self.list(runtime, "listServiceOfferings", "serviceoffering", ["name": "Small Instance"])
                .first?["id"]?.stringValue
        )
        let (status, body) = try await self.call(
            runtime,
            "deployVirtualMachine",
            ["zoneid": zone, "templateid": template, "serviceofferingid": offering]
        )
        #expect(status == 200, "deployVirtualMachine: \(body.json)")
        await runtime.core.jobs.drain()
        return try #require(body["id"]?.stringValue)
    }
}

/// A condition that did not come true in time.
struct TimedOut: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(self.what)" }
}

/// Waits until `condition` holds, polling every 100 ms, failing after `timeout` (generous: the machine is shared).
func eventually(
    timeout: Duration = .seconds(60),
    _ what: String,
    _ condition: @Sendable () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(100))
    }
    throw TimedOut(what: what)
}
