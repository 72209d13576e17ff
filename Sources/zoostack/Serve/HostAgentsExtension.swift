import Agent
import Cluster
import Synchronization

/// The agent side of `zoostack serve`, started once the server has joined the cluster: adoption of the hosts this
/// server owns and the in-process agent of the simulated hosts no external agent serves (``HostAgents``); stopped
/// before the server leaves, closing its agent connections.
final class HostAgentsExtension: ClusterExtension {
    private let driver: AgentDriver
    private let agents = Mutex<HostAgents?>(nil)

    /// - Parameter driver: the management server's agent driver (its connections are closed on stop).
    init(driver: AgentDriver) {
        self.driver = driver
    }

    func start(runtime: ClusterRuntime) async throws {
        guard let coordinator = runtime.coordinator else { return }
        let agents = try await HostAgents.start(
            coordinator: coordinator,
            managementServer: runtime.server,
            inProcessHosts: true
        )
        self.agents.withLock { $0 = agents }
    }

    func stop() async {
        let agents = self.agents.withLock { agents in
            defer { agents = nil }
            return agents
        }
        await agents?.stop()
        await self.driver.pool.close()
    }
}
