import Agent
import ArgumentParser
import Coordination
import Foundation
import Logging
import ServiceLifecycle

extension ZooStack {
    /// `zoostack agent --simulator`: a simulated hypervisor host as its own process. It serves the agent protocol
    /// and registers the host in ZooKeeper (`/hosts/HOSTID`), where the management server that owns it adopts it.
    struct AgentRun: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "agent",
            abstract: "Run a hypervisor host agent (the simulator) that registers in ZooKeeper.",
            discussion: """
                Listens for the agent protocol on --address:--port, registers the ephemeral node \
                ROOT/hosts/HOSTID (address, capacity, zone and cluster), prints \
                "ZooStack agent HOSTID ready on ADDR:PORT", and runs until SIGINT or SIGTERM (then it \
                deregisters). Killed, its node vanishes when its session times out. It needs the cluster \
                credentials of its management servers (--cluster-credentials): its ZooKeeper session \
                authenticates with them, and it answers only management servers that prove them.
                """
        )

        @Flag(help: "Simulate the hypervisor (the only kind of agent so far).")
        var simulator = false

        @Option(help: "ZooKeeper: HOST:PORT[,HOST:PORT...][/chroot].")
        var zookeeper: String

        @Option(
            name: .customLong("host-id"),
            help: "The host's id (default: a new lowercase UUID; API parameters such as hostid take UUIDs)."
        )
        var hostId: String?

        @Option(help: "The host's name (default: the id).")
        var name: String?

        @Option(help: "CPU cores.")
        var cpu: Int

        @Option(name: .customLong("cpu-speed"), help: "MHz per core.")
        var cpuSpeed = 2000

        @Option(help: "Memory in MiB.")
        var memory: Int

        @Option(help: "The zone (name or id; default: the adopting server's first zone).")
        var zone: String?

        @Option(help: "The cluster (name or id; default: the zone's first cluster).")
        var cluster: String?

        @Option(help: "The agent protocol's port (0 picks a free one).")
        var port = 0

        @Option(help: "The address to listen on (and to register).")
        var address = "127.0.0.1"

        @Option(name: .customLong("session-timeout-ms"), help: "The ZooKeeper session timeout.")
        var sessionTimeoutMs = 10_000

        @Option(help: "ZooStack's root node in ZooKeeper.")
        var root = "/zoostack"

        @Option(
            name: .customLong("cluster-credentials"),
            help: ArgumentHelp(
                "The cluster credentials file `zoostack serve` uses (user:password, mode 0600).",
                valueName: "file"
            )
        )
        var clusterCredentials = "zoostack-data/cluster-credentials"

        @Option(
            name: .customLong("log-format"),
            help: "How logs are written to standard error: text (for people) or json (one object a line)."
        )
        var logFormat: LogFormat = .text

        func validate() throws {
            guard self.simulator else { throw ValidationError("only --simulator agents exist so far.") }
            guard self.cpu > 0, self.cpuSpeed > 0, self.memory > 0 else {
                throw ValidationError("--cpu, --cpu-speed and --memory must be positive.")
            }
            guard (0...65535).contains(self.port) else { throw ValidationError("--port must be 0...65535.") }
            guard self.sessionTimeoutMs > 0 else { throw ValidationError("--session-timeout-ms must be positive.") }
            if let hostId = self.hostId, hostId.isEmpty || hostId.contains("/") {
                throw ValidationError("--host-id must be a non-empty name without '/'.")
            }
        }

        func run() async throws {
            PrivateFiles.restrictCreationMode()  // auth (issue 11): whatever the agent writes is owner-only.
            let credentials: ClusterCredentials
            do {
                credentials = try ClusterCredentials.read(path: self.clusterCredentials)
            } catch {
                throw ValidationError("--cluster-credentials: \(error.reason) (the file `zoostack serve` uses).")
            }
            let hostId = self.hostId ?? UUID().uuidString.lowercased()
            let agent = SimulatorAgent(hostIds: [hostId], secret: AgentSecret(credentials))
            let port = try await agent.start(address: self.address, port: self.port)
            let address = "\(self.address):\(port)"
            let registration: HostRegistration
            do {
                registration = try await HostRegistration.connect(
                    connectString: self.zookeeper,
                    rootPath: self.root,
                    sessionTimeout: .milliseconds(self.sessionTimeoutMs),
                    credentials: credentials,
                    host: HostInfo(
                        id: hostId,
                        name: self.name,
                        address: address,
                        cpuCores: self.cpu,
                        cpuSpeedMHz: self.cpuSpeed,
                        memoryBytes: Int64(self.memory) << 20,
                        zoneId: self.zone,
                        clusterId: self.cluster,
                        hypervisor: "Simulator",
                        version: "zoostack-agent"
                    )
                )
            } catch {
                await agent.shutdown()
                throw error
            }
            Console.out("ZooStack agent \(hostId) ready on \(address)")
            Console.flush()
            self.logFormat.bootstrap()
            var logger = Logger(label: "zoostack.agent")
            logger.logLevel = .info
            try await runCommandServices(
                [("the agent", SimulatorAgentService(agent: agent, registration: registration))],
                logger: logger
            )
        }
    }
}

/// `zoostack agent` as a `Service`: the agent serves the agent protocol and its host stays registered until the
/// group's graceful shutdown (or the task's cancellation); then the host's node is deleted (management servers see
/// the host gone at once, not after the session timeout) and the agent stops listening.
struct SimulatorAgentService: Service {
    /// The agent, listening.
    let agent: SimulatorAgent
    /// Its host's registration.
    let registration: HostRegistration

    func run() async throws {
        try? await gracefulShutdown()
        await self.registration.deregister()
        await self.agent.shutdown()
    }
}
