import CloudAPI
import CloudCore
import CloudModel
import CloudStore
import Coordination
import Foundation
import Logging
import Orchestrator
import Testing
import ZooKeeperTestSupport

@testable import Agent
@testable import HostManagement

/// One management server with a coordinator on the embedded ZooKeeper server, an empty simulated zone (the seeded
/// hosts removed), the agent driver and host adoption: agents that register become its hosts.
struct AgentCloud {
    let server: ManagementServer
    let driver: AgentDriver
    let admin: AdminCredentials
    let coordinator: Coordinator
    let adoption: HostAdoption
    let connectString: String
    let root: String

    /// The embedded ZooKeeper server (tickTime 500 ms), once per test process.
    static let zookeeper = ZooKeeperTarget.embedded(ZooKeeperTargetSettings(tickTime: .milliseconds(500)))

    static func make(keepSeededHosts: Bool = false, postgres: Bool = false) async throws -> AgentCloud {
        let logger = Logger(label: "test")
        let store = try await OpenStores.fresh(postgres: postgres)
        let admin = try #require(
            try await CloudBootstrap.run(store: store, endpoint: "http://127.0.0.1:0/client/api", logger: logger)
        )
        if !keepSeededHosts {
            for host in try await store.list(Host.self).items { try await store.deleteHost(id: host.id) }
        }
        let simulator = SimulatorDriver()
        let driver = AgentDriver(store: store, simulator: simulator, secret: TestSecrets.agent)
        let server = ManagementServer(
            core: CloudServices(store: store, simulator: simulator, driver: driver, logger: logger),
            logger: logger
        )
        let connectString = try await Self.zookeeper.connectString()
        let root = "/t-\(UInt64.random(in: 0..<UInt64.max))/zoostack"
        let coordinator = try await Coordinator.start(
            configuration: CoordinationConfiguration(
                connectString: connectString,
                rootPath: root,
                sessionTimeout: .seconds(6),
                serverId: "ms-1",
                address: "127.0.0.1:8080",
                version: "test",
                credentials: TestSecrets.credentials
            )
        )
        let adoption = HostAdoption(coordinator: coordinator, managementServer: server.core)
        await adoption.start()
        return AgentCloud(
            server: server,
            driver: driver,
            admin: admin,
            coordinator: coordinator,
            adoption: adoption,
            connectString: connectString,
            root: root
        )
    }

    /// Starts an agent for `hostId` on a loopback port and registers it.
    func agent(_ hostId: String) async throws -> (SimulatorAgent, HostRegistration) {
        let agent = SimulatorAgent(hostIds: [hostId], secret: TestSecrets.agent)
        let port = try await agent.start()
        let registration = try await self.register(hostId, port: port)
        return (agent, registration)
    }

    func register(_ hostId: String, port: Int) async throws -> HostRegistration {
        try await HostRegistration.connect(
            connectString: self.connectString,
            rootPath: self.root,
            sessionTimeout: .seconds(6),
            credentials: TestSecrets.credentials,
            host: HostInfo(
                id: hostId,
                name: "agent-host-\(hostId)",
                address: "127.0.0.1:\(port)",
                cpuCores: 16,
                cpuSpeedMHz: 2000,
                memoryBytes: 32 << 30
            )
        )
    }

    func stop() async {
        await self.adoption.stop()
        await self.coordinator.stop()
        await self.driver.pool.close()
    }

    /// Calls as the admin; returns the HTTP status and the envelope's content.
    func call(_ command: String, _ parameters: [String: String] = [:]) async -> (status: Int, body: APIValue) {
        let pairs = RequestSigner.signedCall(
            command,
            parameters.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
            apiKey: self.admin.apikey,
            secret: self.admin.secretkey
        )
        let response = await self.server.handle(APIRequest(method: "GET", parameters: APIParameters(pairs)))
        let envelope = APIValue.parse(json: response.body).flatMap { value -> APIValue? in
            guard case .object(let members) = value else { return nil }
            return members.first?.1
        }
        return (response.status, envelope ?? .object([]))
    }

    /// Calls an async command and waits for its job; returns the job's result object.
    func callAndWait(_ command: String, _ parameters: [String: String] = [:]) async throws -> APIValue {
        let (status, body) = await self.call(command, parameters)
        #expect(status == 200, "\(command): \(body.json)")
        let jobId = try #require(body["jobid"]?.stringValue)
        await self.server.jobs.drain()
        let (_, job) = await self.call("queryAsyncJobResult", ["jobid": jobId])
        #expect(job["jobstatus"]?.int == 1, "\(command): \(job.json)")
        return job["jobresult"] ?? .object([])
    }

    /// The id of the first item of a list command.
    func firstId(_ command: String, _ parameters: [String: String] = [:]) async throws -> String {
        let (_, body) = await self.call(command, parameters)
        guard case .object(let members) = body else { throw CancellationError() }
        for (key, value) in members where key != "count" {
            if case .array(let items) = value, let id = items.first?["id"]?.stringValue { return id }
        }
        Issue.record("\(command) returned nothing: \(body.json)")
        throw CancellationError()
    }
}

/// Waits until `condition` holds, polling every 50 ms, failing after `timeout` (generous: the machine is loaded).
func eventually(
    _ what: String,
    timeout: Duration = .seconds(60),
    _ condition: @Sendable () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    Issue.record("timed out waiting for \(what)")
    throw CancellationError()
}

extension APIValue {
    var int: Int? {
        if case .int(let value) = self { return value }
        return nil
    }

    /// The items of an array value (nil for any other value).
    var arrayValue: [APIValue]? {
        if case .array(let items) = self { return items }
        return nil
    }
}
