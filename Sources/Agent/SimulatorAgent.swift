import NIOCore
import NIOPosix
import Synchronization

/// A simulated hypervisor host's agent: serves the agent protocol on a TCP port and keeps the VMs it runs in
/// memory. One agent may serve several host ids (the in-process hosts of `zoostack serve`); each command names
/// its host. Every connection must first prove the cluster secret (``AgentSecret``); until then no command is
/// answered.
///
/// ```swift
/// let agent = SimulatorAgent(hostIds: ["h1"], secret: AgentSecret(credentials))
/// let port = try await agent.start(address: "127.0.0.1", port: 0)
/// ...
/// await agent.shutdown()
/// ```
public final class SimulatorAgent: Sendable {
    private let hosts: SimulatorHostTable
    private let server: AgentServer

    /// Creates an agent serving `hostIds` (more can be added with ``serve(hostId:)``).
    /// - Parameters:
    ///   - hostIds: the hosts.
    ///   - secret: the cluster secret every connection must prove before a command is answered.
    ///   - handshakeTimeout: how long a new connection may take to prove it before it is closed.
    public init(hostIds: [String], secret: AgentSecret, handshakeTimeout: Duration = .seconds(10)) {
        var hosts: [String: [String: AgentVm]] = [:]
        for id in hostIds { hosts[id] = [:] }
        let state = SimulatorHostTable(hosts)
        self.hosts = state
        self.server = AgentServer(
            secret: secret,
            handshakeTimeout: handshakeTimeout,
            handler: .immediate { request in Self.handle(request, hosts: state) }
        )
    }

    /// Starts serving another host (no-op when it is served already).
    /// - Parameter hostId: the host.
    public func serve(hostId: String) {
        self.hosts.withLock { hosts in
            if hosts[hostId] == nil { hosts[hostId] = [:] }
        }
    }

    /// Stops serving a host (its VMs are forgotten).
    /// - Parameter hostId: the host.
    public func forget(hostId: String) {
        _ = self.hosts.withLock { $0.removeValue(forKey: hostId) }
    }

    /// Records a VM as running on a served host (e.g. VMs that survived a restart of the agent's process).
    /// - Parameters:
    ///   - vm: the VM.
    ///   - hostId: the host (served from now on if it was not).
    public func place(_ vm: AgentVm, onHost hostId: String) {
        self.hosts.withLock { $0[hostId, default: [:]][vm.id] = vm }
    }

    /// The hosts this agent serves, sorted.
    public var hostIds: [String] {
        self.hosts.withLock { $0.keys.sorted() }
    }

    /// The VMs a host runs, sorted by id.
    /// - Parameter hostId: the host.
    /// - Returns: the VMs (empty for a host this agent does not serve).
    public func vms(onHost hostId: String) -> [AgentVm] {
        self.hosts.withLock { ($0[hostId] ?? [:]).values.sorted { $0.id < $1.id } }
    }

    /// The port the agent listens on, once started.
    public var port: Int? {
        self.server.port
    }

    /// Binds the listening socket.
    /// - Parameters:
    ///   - address: the address to listen on.
    ///   - port: the port (0 picks a free one).
    ///   - group: the event loops.
    /// - Returns: the bound port.
    /// - Throws: NIO's socket errors (e.g. the port is in use).
    @discardableResult
    public func start(
        address: String = "127.0.0.1",
        port: Int = 0,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> Int {
        try await self.server.start(address: address, port: port, group: group)
    }

    /// Stops listening and closes every connection (the management servers then see the agent unreachable).
    public func shutdown() async {
        await self.server.shutdown()
    }

    /// The failed answer's details for a host the agent does not serve (a management server that sees it asked
    /// a stale address, and looks the host's address up again).
    /// - Parameter hostId: the host.
    /// - Returns: the details.
    public static func notServed(_ hostId: String) -> String {
        "Host \(hostId) is not served by this agent"
    }

    /// Executes one command against the in-memory host state.
    /// - Parameter request: the request.
    /// - Returns: the answer (never throws: failures are answers with `result` false).
    public func handle(_ request: AgentRequest) -> AgentAnswer {
        Self.handle(request, hosts: self.hosts)
    }

    private static func handle(_ request: AgentRequest, hosts: SimulatorHostTable) -> AgentAnswer {
        let seq = request.seq
        guard let command = AgentCommand(rawValue: request.command) else {
            return AgentAnswer(seq: seq, result: false, details: "Unsupported command \(request.command)")
        }
        let hostId = request.body.hostId
        return hosts.withLock { hosts -> AgentAnswer in
            guard var vms = hosts[hostId] else {
                return AgentAnswer(seq: seq, result: false, details: Self.notServed(hostId))
            }
            defer { hosts[hostId] = vms }
            if command == .ready {
                return AgentAnswer(seq: seq, result: true, details: "Host \(hostId) is ready")
            }
            switch command {
            case .getVmStats:
                let stats = vms.values.map { ($0.id, AgentVmStats(memoryKBs: Int64($0.memory) * 1024)) }
                return AgentAnswer(
                    seq: seq,
                    result: true,
                    details: "\(vms.count) VMs",
                    vmStats: Dictionary(uniqueKeysWithValues: stats)
                )
            case .getConsoleOutput, .getVncPort:
                return AgentAnswer(seq: seq, result: false, details: "A simulated VM has no console")
            case .destroyVolumes, .attach, .detach, .resizeVolume:
                return AgentAnswer(seq: seq, result: true, details: "Simulated volumes have no files")
            case .copy, .revertSnapshot:
                return AgentAnswer(seq: seq, result: false, details: "Simulated volumes have no files to copy")
            case .getHostStats, .getVolumeStats:
                return AgentAnswer(seq: seq, result: true, details: "A simulated host has no measured use")
            case .securityGroupRules:
                return AgentAnswer(seq: seq, result: true, details: "A simulated host filters nothing")
            case .checkOnHost:
                return AgentAnswer(seq: seq, result: false, details: "A simulated host has no storage heartbeat")
            default:
                break
            }
            if command == .getVmStates {
                return AgentAnswer(
                    seq: seq,
                    result: true,
                    details: "\(vms.count) VMs",
                    vms: vms.values.sorted { $0.id < $1.id }
                )
            }
            guard let vm = request.body.vm else {
                return AgentAnswer(seq: seq, result: false, details: "\(command.rawValue) needs a vm")
            }
            switch command {
            case .start, .prepareForMigration:
                vms[vm.id] = AgentVm(
                    id: vm.id,
                    name: vm.name,
                    cpuNumber: vm.cpuNumber,
                    cpuSpeed: vm.cpuSpeed,
                    memory: vm.memory
                )
                return AgentAnswer(seq: seq, result: true, details: "VM \(vm.name) is running on host \(hostId)")
            case .stop:
                let known = vms.removeValue(forKey: vm.id) != nil
                return AgentAnswer(
                    seq: seq,
                    result: true,
                    details: known ? "VM \(vm.name) stopped" : "VM \(vm.name) is not running on host \(hostId)"
                )
            case .reboot, .migrate, .scale:
                guard var running = vms[vm.id] else {
                    return AgentAnswer(
                        seq: seq,
                        result: false,
                        details: "VM \(vm.name) is not running on host \(hostId)"
                    )
                }
                if command == .migrate {
                    vms[vm.id] = nil
                    let destination = request.body.destinationHostId ?? "?"
                    return AgentAnswer(seq: seq, result: true, details: "VM \(vm.name) migrated to \(destination)")
                }
                if command == .scale {
                    running.cpuNumber = vm.cpuNumber
                    running.cpuSpeed = vm.cpuSpeed
                    running.memory = vm.memory
                    vms[vm.id] = running
                    return AgentAnswer(seq: seq, result: true, details: "VM \(vm.name) scaled")
                }
                return AgentAnswer(seq: seq, result: true, details: "VM \(vm.name) rebooted")
            case .ready, .getVmStates, .getVmStats, .getConsoleOutput, .destroyVolumes, .getHostStats, .attach, .detach,
                .resizeVolume, .getVolumeStats, .getVncPort, .copy, .revertSnapshot, .securityGroupRules, .checkOnHost:
                return AgentAnswer(seq: seq, result: true, details: "")
            }
        }
    }
}

/// The simulated hosts' VMs by host id, then VM id: shared by the agent and its server's handler.
final class SimulatorHostTable: Sendable {
    private let table: Mutex<[String: [String: AgentVm]]>

    init(_ hosts: [String: [String: AgentVm]]) {
        self.table = Mutex(hosts)
    }

    func withLock<T: Sendable>(_ body: (inout [String: [String: AgentVm]]) -> T) -> T {
        self.table.withLock { body(&$0) }
    }
}
