import CloudAPI
import CloudCore
import CloudTestSupport
import Foundation
import Synchronization

/// A whole ZooStack cluster on loopback, every part its own process: a PostgreSQL database, ZooKeeper (embedded
/// or an Apache ensemble), management servers (`zoostack serve --zookeeper ... --database postgres://...`) and
/// simulated hypervisor agents (`zoostack agent --simulator`).
///
/// ```swift
/// let cluster = try await ClusterFixture.start(ClusterFixture.Options(coordination: .embedded, binary: url))
/// let vm = try await cluster.client(0).callAndWait("deployVirtualMachine", [...])
/// cluster.killServer(1)
/// await cluster.shutdown()
/// ```
public final class ClusterFixture: Sendable {
    /// What to start.
    public struct Options: Sendable {
        /// ZooKeeper: embedded or an Apache ensemble.
        public var coordination: CoordinationKind
        /// The `zoostack` executable.
        public var binary: URL
        /// How many management servers.
        public var managementServers: Int
        /// The agents.
        public var agents: [AgentSpec]
        /// The ZooKeeper session timeout of every management server and agent.
        public var sessionTimeout: Duration

        /// Makes options.
        /// - Parameters:
        ///   - coordination: the ZooKeeper.
        ///   - binary: the `zoostack` executable.
        ///   - managementServers: how many (default 3).
        ///   - agents: the agents (default four of 8 cores and 16 GiB).
        ///   - sessionTimeout: the session timeout (default 4 s).
        public init(
            coordination: CoordinationKind,
            binary: URL,
            managementServers: Int = 3,
            agents: [AgentSpec] = (1...4).map { AgentSpec(name: "host-\($0)") },
            sessionTimeout: Duration = .seconds(4)
        ) {
            self.coordination = coordination
            self.binary = binary
            self.managementServers = managementServers
            self.agents = agents
            self.sessionTimeout = sessionTimeout
        }
    }

    /// One simulated hypervisor host.
    public struct AgentSpec: Sendable, Hashable {
        /// The host's name.
        public var name: String
        /// The host id (the `/hosts` node's name and the host row's id): a UUID, as the API's `hostid` wants.
        public var hostId: String
        /// CPU cores.
        public var cpu: Int
        /// MHz per core.
        public var cpuSpeed: Int
        /// Memory in MiB.
        public var memoryMiB: Int

        /// Makes a spec.
        /// - Parameters:
        ///   - name: the host's name.
        ///   - hostId: the host id (default: a new lowercase UUID).
        ///   - cpu: cores (default 8).
        ///   - cpuSpeed: MHz (default 2000).
        ///   - memoryMiB: MiB (default 16384).
        public init(
            name: String,
            hostId: String = UUID().uuidString.lowercased(),
            cpu: Int = 8,
            cpuSpeed: Int = 2000,
            memoryMiB: Int = 16384
        ) {
            self.name = name
            self.hostId = hostId
            self.cpu = cpu
            self.cpuSpeed = cpuSpeed
            self.memoryMiB = memoryMiB
        }
    }

    /// A running management server.
    public struct Server: Sendable {
        /// Its id (`ms-N`).
        public var id: String
        /// Its process.
        public var process: ManagedProcess
        /// Its API port.
        public var apiPort: Int
        /// Its data directory.
        public var dataDir: String
    }

    /// The options it was started with.
    public let options: Options
    /// Its scratch directory (logs, data directories).
    public let directory: URL
    /// The ZooKeeper.
    public let coordination: CoordinationBackend
    /// The PostgreSQL database URL.
    public let database: String
    /// The admin's credentials, written by whichever server bootstrapped the database.
    public let credentials: AdminCredentials
    /// The cluster credentials file every server and agent is given (`--cluster-credentials`).
    public var clusterCredentialsPath: String { ClusterCredentialsFile.path(in: self.directory) }
    private let servers: Mutex<[Server]>
    let agents: Mutex<[String: ManagedProcess]>

    private init(
        options: Options,
        directory: URL,
        coordination: CoordinationBackend,
        database: String,
        credentials: AdminCredentials,
        servers: [Server]
    ) {
        self.options = options
        self.directory = directory
        self.coordination = coordination
        self.database = database
        self.credentials = credentials
        self.servers = Mutex(servers)
        self.agents = Mutex([:])
    }

    /// Starts everything: database, ZooKeeper, the management servers at once (one bootstraps the database),
    /// then the agents, and waits until every agent's host is Up.
    /// - Parameter options: what to start.
    /// - Returns: the running cluster.
    /// - Throws: ``HarnessError`` (with the failing process's log) when a part does not come up.
    public static func start(_ options: Options) async throws -> ClusterFixture {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zoostack-cluster-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let database = try await PostgresTestCluster.shared().createDatabase()
        try ClusterCredentialsFile.create(in: directory)
        let coordination = try await CoordinationBackend.start(
            options.coordination,
            binary: options.binary,
            directory: directory
        )
        var launched: [Server] = []
        do {
            for index in 0..<options.managementServers {
                launched.append(
                    try Self.launchServer(
                        id: "ms-\(index + 1)",
                        options: options,
                        directory: directory,
                        coordination: coordination,
                        database: database
                    )
                )
            }
            var ready: [Server] = []
            for server in launched { ready.append(try await Self.ready(server)) }
            let credentials = try Self.findCredentials(ready)
            let fixture = ClusterFixture(
                options: options,
                directory: directory,
                coordination: coordination,
                database: database,
                credentials: credentials,
                servers: ready
            )
            do {
                for agent in options.agents { try await fixture.startAgent(agent) }
                try await fixture.waitForHosts(options.agents.map(\.hostId), state: "Up")
            } catch {
                await fixture.shutdown()
                throw error
            }
            return fixture
        } catch {
            for server in launched { server.process.kill() }
            await coordination.shutdown()
            throw error
        }
    }

    private static func launchServer(
        id: String,
        options: Options,
        directory: URL,
        coordination: CoordinationBackend,
        database: String
    ) throws -> Server {
        let dataDir = directory.appendingPathComponent(id).path
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
        let process = try ManagedProcess.launch(
            name: id,
            executable: options.binary,
            arguments: [
                "serve", "--zookeeper", coordination.connectString, "--database", database,
                "--api-port", "0", "--server-id", id, "--data-dir", dataDir,
                "--cluster-credentials", ClusterCredentialsFile.path(in: directory),
                "--session-timeout-ms", String(Self.milliseconds(options.sessionTimeout)), "--simulated-hosts", "0",
                // auth: the servers of one database share the key that seals users' secret keys.
                "--encryption-key-file", directory.appendingPathComponent("encryption-key").path,
            ],
            logPath: directory.appendingPathComponent("\(id).log").path
        )
        return Server(id: id, process: process, apiPort: 0, dataDir: dataDir)
    }

    private static func ready(_ server: Server) async throws -> Server {
        let line = try await server.process.waitForLine(containing: "ZooStack API ready on http://")
        guard let portText = line.split(separator: ":").last?.split(separator: "/").first, let port = Int(portText)
        else { throw HarnessError("\(server.id): no port in \"\(line)\"") }
        var server = server
        server.apiPort = port
        return server
    }

    private static func findCredentials(_ servers: [Server]) throws -> AdminCredentials {
        let found = servers.compactMap { server -> AdminCredentials? in
            guard let data = FileManager.default.contents(atPath: "\(server.dataDir)/admin-credentials.json") else {
                return nil
            }
            return try? JSONDecoder().decode(AdminCredentials.self, from: data)
        }
        guard found.count == 1, let credentials = found.first else {
            throw HarnessError("expected exactly one server to bootstrap the database, found \(found.count)")
        }
        return credentials
    }

    static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds) * 1000 + Int(duration.components.attoseconds / 1_000_000_000_000_000)
    }

    // MARK: servers

    /// The management servers as they are now (killed ones included until restarted).
    public var currentServers: [Server] { self.servers.withLock { $0 } }

    /// The number of management servers.
    public var serverCount: Int { self.servers.withLock { $0.count } }

    /// An admin client of server `index`.
    /// - Parameter index: the server.
    /// - Returns: the client.
    public func client(_ index: Int) -> CloudClient {
        let port = self.servers.withLock { $0[index].apiPort }
        return CloudClient(port: port, apiKey: self.credentials.apikey, secret: self.credentials.secretkey)
    }

    /// Clients of the servers still running.
    public var liveClients: [CloudClient] {
        self.servers.withLock { servers in
            servers.filter(\.process.isRunning).map {
                CloudClient(port: $0.apiPort, apiKey: self.credentials.apikey, secret: self.credentials.secretkey)
            }
        }
    }

    /// The server's id.
    /// - Parameter index: the server.
    /// - Returns: its id.
    public func serverId(_ index: Int) -> String { self.servers.withLock { $0[index].id } }

    /// The index of the server with this id.
    /// - Parameter id: a server id.
    /// - Returns: its index, if any.
    public func serverIndex(id: String) -> Int? { self.servers.withLock { $0.firstIndex { $0.id == id } } }

    /// SIGKILLs server `index`: no clean-up, its session expires after the session timeout.
    /// - Parameter index: the server.
    public func killServer(_ index: Int) {
        self.servers.withLock { $0[index] }.process.kill()
    }

    /// Starts server `index` again with its id and data directory.
    /// - Parameter index: the server.
    /// - Throws: ``HarnessError`` when it does not come up.
    public func restartServer(_ index: Int) async throws {
        let old = self.servers.withLock { $0[index] }
        await old.process.terminate()
        let server = try await Self.ready(
            try Self.launchServer(
                id: old.id,
                options: self.options,
                directory: self.directory,
                coordination: self.coordination,
                database: self.database
            )
        )
        self.servers.withLock { $0[index] = server }
    }

    // MARK: agents

    /// Starts an agent and waits for its ready line (not for its host to be adopted).
    /// - Parameter spec: the agent.
    /// - Throws: ``HarnessError`` when it does not start.
    public func startAgent(_ spec: AgentSpec) async throws {
        let process = try ManagedProcess.launch(
            name: "agent \(spec.name)",
            executable: self.options.binary,
            arguments: [
                "agent", "--simulator", "--zookeeper", self.coordination.connectString, "--host-id", spec.hostId,
                "--name", spec.name,
                "--cpu", String(spec.cpu), "--cpu-speed", String(spec.cpuSpeed), "--memory", String(spec.memoryMiB),
                "--session-timeout-ms", String(Self.milliseconds(self.options.sessionTimeout)),
                "--cluster-credentials", self.clusterCredentialsPath,
            ],
            logPath: self.directory.appendingPathComponent("agent-\(spec.name).log").path
        )
        self.agents.withLock { $0[spec.hostId] = process }
        _ = try await process.waitForLine(containing: "ready on")
    }

    /// SIGKILLs the agent of a host.
    /// - Parameter hostId: the host.
    public func killAgent(_ hostId: String) {
        self.agents.withLock { $0[hostId] }?.kill()
    }

    /// Waits until every named host has the state in `listHosts` (asked of any live server).
    /// - Parameters:
    ///   - hostIds: the hosts.
    ///   - state: the state, e.g. `Up`.
    ///   - timeout: how long to wait.
    /// - Throws: ``HarnessError`` when they do not get there.
    public func waitForHosts(_ hostIds: [String], state: String, timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        var last: [String: String] = [:]
        while ContinuousClock.now < deadline {
            if let client = self.liveClients.first,
                let hosts = try? await client.list("listHosts", ["type": "Routing"])
            {
                last = [:]
                for host in hosts {
                    if let id = host["id"]?.stringValue { last[id] = host["state"]?.stringValue ?? "?" }
                }
                if hostIds.allSatisfy({ last[$0] == state }) { return }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw HarnessError("hosts \(hostIds) not all \(state) in \(timeout): \(last)")
    }

    /// Stops everything and removes the scratch directory (kept when `keepingLogs`).
    /// - Parameter keepingLogs: keep the directory (for a failed test's logs).
    public func shutdown(keepingLogs: Bool = false) async {
        let agents = self.agents.withLock { Array($0.values) }
        for agent in agents { await agent.terminate(grace: .seconds(5)) }
        let servers = self.servers.withLock { $0 }
        await withDiscardingTaskGroup { group in
            for server in servers { group.addTask { await server.process.terminate() } }
        }
        await self.coordination.shutdown()
        if !keepingLogs { try? FileManager.default.removeItem(at: self.directory) }
    }

    /// The logs of every process, for a failure message.
    public var logTails: String {
        let servers = self.servers.withLock { $0 }
        let agents = self.agents.withLock { $0 }
        return
            (servers.map { "--- \($0.id)\n\($0.process.logTail)" }
            + agents.map { "--- agent \($0.key)\n\($0.value.logTail)" }).joined(separator: "\n")
    }
}
