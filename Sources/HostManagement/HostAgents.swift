import Agent
import CloudCore
import CloudModel
import Coordination
import Logging

/// The agent side of a management server's runtime, started in one call once its coordinator runs: host
/// adoption (``HostAdoption``) and, on a single machine, the in-process agent of its simulated hosts
/// (``InProcessHosts``), registered in the coordinator's ZooKeeper like external agents.
///
/// ```swift
/// let simulator = SimulatorDriver(latency: ...)
/// let driver = AgentDriver(store: store, simulator: simulator, secret: AgentSecret(credentials))
/// let server = CloudServices(store: store, simulator: simulator, driver: driver, logger: logger)
/// let coordinator = try await Coordinator.start(configuration: ...)
/// let agents = try await HostAgents.start(
///     coordinator: coordinator, managementServer: server, inProcessHosts: true, secret: AgentSecret(credentials)
/// )
/// ...
/// await agents.stop()        // before coordinator.stop()
/// await driver.pool.close()
/// ```
public final class HostAgents: Sendable {
    /// The adoption of this server's hosts.
    public let adoption: HostAdoption
    /// The in-process agent and its hosts, when started.
    public let inProcess: InProcessHosts?
    /// The power-state sync of this server's real hosts (nil when the core's driver is not an ``AgentDriver``).
    public let powerState: PowerStateSync?

    private init(adoption: HostAdoption, inProcess: InProcessHosts?, powerState: PowerStateSync?) {
        self.adoption = adoption
        self.inProcess = inProcess
        self.powerState = powerState
    }

    /// Starts host adoption and, when asked, an in-process agent for the inventory's simulated hosts
    /// (``InProcessHosts/simulatorHosts(store:)``: the seeded ones and those an in-process agent served before).
    /// - Parameters:
    ///   - coordinator: the running coordinator (its connect string, root and session timeout are used).
    ///   - managementServer: the management server's core services.
    ///   - inProcessHosts: whether to serve the simulated hosts in process (`zoostack serve` on a single machine).
    ///   - secret: the secret the in-process agent asks of management servers (the driver's); its ZooKeeper
    ///     session uses the coordinator's credentials.
    ///   - logger: a logger.
    /// - Returns: the running parts.
    /// - Throws: the in-process agent's socket, ZooKeeper and store errors.
    public static func start(
        coordinator: Coordinator,
        managementServer: CloudServices,
        inProcessHosts: Bool,
        secret: AgentSecret,
        logger: Logger = Logger(label: "zoostack.agents")
    ) async throws -> HostAgents {
        let adoption = HostAdoption(coordinator: coordinator, managementServer: managementServer, logger: logger)
        await adoption.start()
        var inProcess: InProcessHosts?
        if inProcessHosts {
            let store = managementServer.store
            let hosts = try await InProcessHosts.simulatorHosts(store: store)
            if !hosts.isEmpty {
                do {
                    inProcess = try await InProcessHosts.start(
                        hosts: hosts,
                        store: store,
                        connectString: coordinator.configuration.connectString,
                        rootPath: coordinator.configuration.rootPath,
                        sessionTimeout: coordinator.configuration.sessionTimeout,
                        credentials: coordinator.configuration.credentials,
                        tls: coordinator.configuration.tls,
                        secret: secret,
                        sessionRecord: coordinator.configuration.sessionRecordDirectory.map {
                            SessionRecord.inProcessAgent(directory: $0)
                        }
                    )
                } catch {
                    await adoption.stop()
                    throw error
                }
            }
        }
        var powerState: PowerStateSync?
        if let driver = managementServer.driver as? AgentDriver {
            powerState = PowerStateSync(adoption: adoption, driver: driver, managementServer: managementServer)
            await powerState?.start()
        }
        return HostAgents(adoption: adoption, inProcess: inProcess, powerState: powerState)
    }

    /// Stops the in-process agent (its hosts' nodes go at once) and the adoption.
    public func stop() async {
        await self.powerState?.stop()
        await self.inProcess?.stop()
        await self.adoption.stop()
    }
}
