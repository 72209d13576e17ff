import Agent
import CloudCore
import Cluster
import HostManagement
import Synchronization

/// The agent side of `zoostack serve`, started once the server has joined the cluster: adoption of the hosts this
/// server owns and the in-process agent of the simulated hosts no external agent serves (``HostAgents``); stopped
/// before the server leaves, closing the connections of its ``AgentDriver``.
final class HostAgentsExtension: ClusterExtension {
    private let running = Mutex<(agents: HostAgents, driver: AgentDriver?)?>(nil)
    private let secret: AgentSecret

    /// - Parameter secret: the cluster secret the in-process agent asks of management servers.
    init(secret: AgentSecret) {
        self.secret = secret
    }

    func start(runtime: ClusterRuntime) async throws {
        guard let coordinator = runtime.coordinator else { return }
        let agents = try await HostAgents.start(
            coordinator: coordinator,
            managementServer: runtime.core,
            inProcessHosts: true,
            secret: self.secret
        )
        self.running.withLock { $0 = (agents, runtime.core.driver as? AgentDriver) }
    }

    func stop() async {
        let running = self.running.withLock { running in
            defer { running = nil }
            return running
        }
        await running?.agents.stop()
        await running?.driver?.pool.close()
    }
}
