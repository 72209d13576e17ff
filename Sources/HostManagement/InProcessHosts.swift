import Agent
import CloudModel
import CloudStore
import Coordination
import Logging
import ZooKeeperClient
import ZooKeeperRecipes

/// The simulated hosts of a single-machine `zoostack serve`, run the way external agents run: one in-process
/// ``SimulatorAgent`` serving every such host on a loopback port, each host registered in ZooKeeper as
/// `/hosts/BUCKET/HOSTID` (one session for all), so the management server adopts them and drives them through
/// ``AgentDriver`` like any other agent's hosts.
///
/// ```swift
/// let hosts = try await InProcessHosts.start(
///     hosts: try await InProcessHosts.simulatorHosts(store: store),
///     store: store,
///     connectString: "127.0.0.1:2181",
///     credentials: credentials,
///     secret: AgentSecret(credentials)
/// )
/// ...
/// await hosts.stop()
/// ```
public final class InProcessHosts: Sendable {
    /// The agent serving the hosts.
    public let agent: SimulatorAgent
    /// The agent's address, `ADDR:PORT`.
    public let address: String
    /// The registered hosts.
    public let hosts: [HostInfo]
    private let client: ZooKeeperClient

    private init(agent: SimulatorAgent, address: String, hosts: [HostInfo], client: ZooKeeperClient) {
        self.agent = agent
        self.address = address
        self.hosts = hosts
        self.client = client
    }

    /// The agent version in-process hosts register with (recorded in their rows, so a restarted `zoostack serve`
    /// serves them again).
    public static let agentVersion = "in-process"

    /// The hosts an in-process agent serves: the Simulator hosts no agent ever registered (seeded, or added
    /// through `addHost`) and those registered by an in-process agent before (a restart). Hosts of external
    /// agents are not among them.
    /// - Parameter store: the store.
    /// - Returns: the hosts.
    /// - Throws: ``StoreError``.
    public static func simulatorHosts(store: CloudStore) async throws(StoreError) -> [Host] {
        try await store.inProcessSimulatorHosts()
    }

    /// Starts the agent for `hosts` and registers each in ZooKeeper. The VMs the database says run on them are
    /// loaded into the agent first (they survived the restart, as a hypervisor's VMs would).
    /// - Parameters:
    ///   - hosts: the hosts (their ids, names, capacity, zone and cluster are registered).
    ///   - store: the store (the VMs running on the hosts).
    ///   - connectString: ZooKeeper.
    ///   - rootPath: the ZooStack root in ZooKeeper.
    ///   - sessionTimeout: the registrations' session timeout.
    ///   - credentials: the cluster credentials the registrations' session authenticates with (nil: open nodes).
    ///   - tls: TLS to the ensemble's secure client port (nil: plain TCP).
    ///   - secret: the secret the agent asks of management servers (the driver's).
    ///   - address: the loopback address the agent listens on.
    ///   - sessionRecord: where the registrations' session is recorded, so that after a crash the next start
    ///     closes the session still holding the hosts' nodes (nil: a host held by another session is left to it).
    /// - Returns: the running hosts.
    /// - Throws: socket, ZooKeeper and store errors.
    public static func start(
        hosts: [Host],
        store: CloudStore,
        connectString: String,
        rootPath: String = "/zoostack",
        sessionTimeout: Duration = .seconds(10),
        credentials: ClusterCredentials?,
        tls: ZooKeeperClientTLS? = nil,
        secret: AgentSecret,
        address: String = "127.0.0.1",
        sessionRecord: SessionRecord? = nil
    ) async throws -> InProcessHosts {
        let agent = SimulatorAgent(hostIds: hosts.map(\.id), secret: secret)
        if !hosts.isEmpty {
            var running = ListQuery(equals: [("state", "Running")], idIn: hosts.map(\.id))
            running.inColumn = "host_id"
            for vm in try await store.list(VirtualMachine.self, running).items {
                guard let hostId = vm.hostId, let placed = AgentDriver.body(hostId, vm).vm else { continue }
                agent.place(placed, onHost: hostId)
            }
        }
        let port = try await agent.start(address: address, port: 0)
        let agentAddress = "\(address):\(port)"
        let client: ZooKeeperClient
        do {
            let configuration = try ZooKeeperClientConfiguration.zooStack(
                connectString: connectString,
                sessionTimeout: sessionTimeout,
                credentials: credentials,
                tls: tls
            )
            client = try await ZooKeeperClient.connect(configuration: configuration)
        } catch {
            await agent.shutdown()
            throw error
        }
        let layout = ZNodeLayout(root: rootPath)
        var registered: [HostInfo] = []
        do {
            // A crashed predecessor's session may still hold the hosts: closed through the record, if any.
            var takeover = GroupMember.Takeover()
            if let sessionRecord {
                takeover = try await .recorded(
                    in: sessionRecord,
                    client: client,
                    waitForUnknownOwner: false,
                    logger: Logger(label: "zoostack.agent")
                )
            }
            for host in hosts {
                let info = HostInfo(
                    id: host.id,
                    name: host.name,
                    address: agentAddress,
                    cpuCores: host.cpuNumber,
                    cpuSpeedMHz: host.cpuSpeed,
                    memoryBytes: Int64(host.memory),
                    zoneId: host.zoneId,
                    podId: host.podId,
                    clusterId: host.clusterId,
                    hypervisor: host.hypervisor,
                    version: Self.agentVersion
                )
                do {
                    _ = try await HostRegistration.register(
                        client: client,
                        layout: layout,
                        host: info,
                        takeover: takeover
                    )
                    registered.append(info)
                } catch let error as RecipeError where error.code == .memberIdTaken {
                    // Another live agent (another management server's in-process agent) serves it.
                    agent.forget(hostId: host.id)
                }
            }
            try sessionRecord?.replace(with: try await client.session)
        } catch {
            await client.close()
            await agent.shutdown()
            throw error
        }
        return InProcessHosts(agent: agent, address: agentAddress, hosts: registered, client: client)
    }

    /// Deregisters every host (closing the session deletes their nodes at once) and stops the agent.
    public func stop() async {
        await self.client.close()
        await self.agent.shutdown()
    }
}
