import Agent
import ArgumentParser
import Coordination
import Logging
import ServiceLifecycle

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A hypervisor host as its own process: the options and the run of `zoostack agent` and of `zoostack-agent` (the
/// same command in an executable that links no management server). It serves the agent protocol and registers the
/// host in ZooKeeper (`/hosts/BUCKET/HOSTID`), where the management server that owns it adopts it.
package struct AgentOptions: ParsableArguments {
    /// The command's one-line summary.
    package static let abstract =
        "Run a hypervisor host agent (the simulator, or real VMs with QEMU) that registers in ZooKeeper."

    /// The command's help text.
    package static let discussion = """
        Listens for the agent protocol on --address:--port, registers the ephemeral node \
        ROOT/hosts/BUCKET/HOSTID (address, capacity, zone and cluster), prints \
        "ZooStack agent HOSTID ready on ADDR:PORT", and runs until SIGINT or SIGTERM (then it \
        deregisters). Killed, its node vanishes when its session times out. It needs the cluster \
        credentials of its management servers (--cluster-credentials): its ZooKeeper session \
        authenticates with them, and it answers only management servers that prove them. \
        With --hypervisor qemu it runs each VM as a qemu-system-x86_64 process (KVM when it works, \
        else TCG) under --data-dir, registers as hypervisor KVM, keeps its host id in \
        DATA-DIR/host-id, and leaves its VMs running when it stops (the next agent adopts them). \
        With --simulator --hosts N it simulates N hosts in one process: one agent port and one ZooKeeper \
        session carry them all, it prints one ready line per host, and with --data-dir it keeps their \
        ids in DATA-DIR/host-ids (the same hosts after a restart).
        """

    /// Options with their defaults (ArgumentParser fills them from the command line).
    package init() {}

    /// The kinds of host (`zoostack serve --hypervisor` takes them too).
    package enum Hypervisor: String, ExpressibleByArgument, CaseIterable, Sendable {
        case simulator
        case qemu
    }

    @Flag(help: "Simulate the hypervisor (the same as --hypervisor simulator).")
    var simulator = false

    @Option(help: "The hypervisor: simulator or qemu.")
    var hypervisor: Hypervisor?

    @Option(help: "ZooKeeper: HOST:PORT[,HOST:PORT...][/chroot].")
    var zookeeper: String

    @OptionGroup var zookeeperTLS: ZooKeeperTLSOptions

    @Option(
        name: .customLong("host-id"),
        help: "The host's id (default: a new lowercase UUID, kept in DATA-DIR/host-id for qemu)."
    )
    var hostId: String?

    @Option(help: "The host's name (default: the id; with --hosts N, NAME-1 ... NAME-N).")
    var name: String?

    @Option(help: "Simulator: how many hosts this process simulates (one ZooKeeper session for all).")
    var hosts = 1

    @Option(help: "CPU cores (required for the simulator; default for qemu: the machine's).")
    var cpu: Int?

    @Option(name: .customLong("cpu-speed"), help: "MHz per core.")
    var cpuSpeed = 2000

    @Option(help: "Memory in MiB (required for the simulator; default for qemu: the machine's).")
    var memory: Int?

    @Option(
        name: .customLong("data-dir"),
        help: """
            qemu: the agent's directory (VM run directories, host id); keep it short (unix sockets). \
            Simulator with --hosts N: where the hosts' ids are kept.
            """
    )
    var dataDir: String?

    @Option(name: .customLong("primary-storage"), help: "qemu: the disks' directory (default: DATA-DIR/primary).")
    var primaryStorage: String?

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

    /// The kind of host asked for (`--simulator` and `--hypervisor simulator` are the same).
    var kind: Hypervisor? {
        self.simulator ? .simulator : self.hypervisor
    }

    package func validate() throws {
        if self.simulator, let hypervisor = self.hypervisor, hypervisor != .simulator {
            throw ValidationError("--simulator and --hypervisor \(hypervisor.rawValue) contradict each other.")
        }
        guard let kind = self.kind else {
            throw ValidationError("name the hypervisor: --simulator or --hypervisor qemu.")
        }
        switch kind {
        case .simulator:
            guard self.cpu != nil, self.memory != nil else {
                throw ValidationError("a simulated host needs --cpu and --memory.")
            }
        case .qemu:
            guard let dataDir = self.dataDir else { throw ValidationError("--hypervisor qemu needs --data-dir.") }
            // DATA-DIR/vms/UUID/qmp.sock must fit a unix socket path (107 bytes).
            guard QEMUAgentPaths.absolute(dataDir).utf8.count <= 57 else {
                throw ValidationError(
                    "--data-dir must be at most 57 bytes long as an absolute path (unix sockets)."
                )
            }
        }
        guard self.cpu ?? 1 > 0, self.cpuSpeed > 0, self.memory ?? 1 > 0 else {
            throw ValidationError("--cpu, --cpu-speed and --memory must be positive.")
        }
        guard self.hosts >= 1 else { throw ValidationError("--hosts must be at least 1.") }
        if self.hosts > 1 {
            guard kind == .simulator else { throw ValidationError("--hosts N > 1 needs --simulator.") }
            guard self.hostId == nil else {
                throw ValidationError("--host-id names one host; --hosts N > 1 keeps the ids in --data-dir.")
            }
        }
        guard (0...65535).contains(self.port) else { throw ValidationError("--port must be 0...65535.") }
        guard self.sessionTimeoutMs > 0 else { throw ValidationError("--session-timeout-ms must be positive.") }
        if let hostId = self.hostId, hostId.isEmpty || hostId.contains("/") {
            throw ValidationError("--host-id must be a non-empty name without '/'.")
        }
    }

    /// Starts the agent, registers its host, prints the ready line and runs until SIGINT or SIGTERM.
    /// - Throws: `ValidationError` for unusable credentials or TLS files; the agent's or the registration's error.
    package func run() async throws {
        umask(0o077)  // auth (issue 11): whatever the agent writes is owner-only.
        let credentials: ClusterCredentials
        do {
            credentials = try ClusterCredentials.read(path: self.clusterCredentials)
        } catch {
            throw ValidationError("--cluster-credentials: \(error.reason) (the file `zoostack serve` uses).")
        }
        self.logFormat.bootstrap()
        var logger = Logger(label: "zoostack.agent")
        logger.logLevel = .info
        if self.hosts > 1 {
            try await self.runSimulatedHosts(credentials: credentials, logger: logger)
            return
        }
        let started: StartedAgent
        switch self.kind {
        case .qemu: started = try await self.startQEMU(credentials: credentials, logger: logger)
        case .simulator, nil: started = try await self.startSimulator(credentials: credentials)
        }
        let registration: HostRegistration
        do {
            let tls = try self.zookeeperTLS.configuration()
            registration = try await ZooKeeperWait.retrying(connectString: self.zookeeper, logger: logger) {
                try await HostRegistration.connect(
                    connectString: self.zookeeper,
                    rootPath: self.root,
                    sessionTimeout: .milliseconds(self.sessionTimeoutMs),
                    credentials: credentials,
                    tls: tls,
                    host: started.host
                )
            }
        } catch {
            await started.shutdown()
            throw error
        }
        let line = "ZooStack agent \(started.host.id) ready on \(started.host.address)"
        try await runCommandServices(
            [("the agent", AgentService(registrations: [registration], shutdown: started.shutdown))],
            logger: logger
        ) {
            print(line)
            fflush(nil)  // a reader of a pipe sees the line now (nil flushes every C stream).
        }
    }

    private func startSimulator(credentials: ClusterCredentials) async throws -> StartedAgent {
        let hostId = self.hostId ?? UUID().uuidString.lowercased()
        let agent = SimulatorAgent(hostIds: [hostId], secret: AgentSecret(credentials))
        let port = try await agent.start(address: self.address, port: self.port)
        let host = HostInfo(
            id: hostId,
            name: self.name,
            address: "\(self.address):\(port)",
            cpuCores: self.cpu ?? 1,
            cpuSpeedMHz: self.cpuSpeed,
            memoryBytes: Int64(self.memory ?? 1) << 20,
            zoneId: self.zone,
            clusterId: self.cluster,
            hypervisor: "Simulator",
            version: "zoostack-agent"
        )
        return StartedAgent(host: host) { await agent.shutdown() }
    }
}

/// A listening agent and the host it registers.
struct StartedAgent: Sendable {
    /// The host to register.
    var host: HostInfo
    /// Stops the agent listening (a QEMU agent leaves its VMs running).
    var shutdown: @Sendable () async -> Void
}

/// `zoostack agent` as a `Service`: the agent serves the agent protocol and its hosts stay registered until the
/// group's graceful shutdown (or the task's cancellation); then the hosts' nodes are deleted (management servers
/// see the hosts gone at once, not after the session timeout), their shared session closes and the agent stops
/// listening.
struct AgentService: Service {
    /// Its hosts' registrations (one session).
    let registrations: [HostRegistration]
    /// Stops the agent.
    let shutdown: @Sendable () async -> Void

    func run() async throws {
        try? await gracefulShutdown()
        await HostRegistration.deregister(self.registrations)
        await self.shutdown()
    }
}
