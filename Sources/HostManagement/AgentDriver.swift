import Agent
import CloudModel
import CloudStore
import Orchestrator
import Synchronization

/// The management server's hypervisor driver: each VM command goes to the agent of the VM's host over the agent
/// protocol (``AgentConnectionPool``); hosts without an agent address (e.g. added through `addHost`) fall back
/// to the in-process ``SimulatorDriver``.
///
/// `configureSimulator`'s rules (kept by ``simulator``) apply to commands for agent hosts too: they are applied
/// here, by the management server that sends the command, before it goes to the agent.
public final class AgentDriver: HypervisorDriver {
    /// The in-process simulator: the fallback driver and the holder of the injected failures.
    public let simulator: SimulatorDriver
    /// The connections to agents.
    public let pool: AgentConnectionPool
    let store: CloudStore
    let addresses = Mutex<[String: String]>([:])

    /// Creates a driver.
    /// - Parameters:
    ///   - store: where host rows (and their agent addresses) are read.
    ///   - simulator: the fallback and failure injection.
    ///   - pool: the agent connections.
    public init(store: CloudStore, simulator: SimulatorDriver, pool: AgentConnectionPool) {
        self.store = store
        self.simulator = simulator
        self.pool = pool
    }

    /// Creates a driver whose agent connections prove `secret` (and ask it of the agents).
    /// - Parameters:
    ///   - store: where host rows (and their agent addresses) are read.
    ///   - simulator: the fallback and failure injection.
    ///   - secret: the cluster secret.
    public convenience init(store: CloudStore, simulator: SimulatorDriver, secret: AgentSecret) {
        self.init(store: store, simulator: simulator, pool: AgentConnectionPool(secret: secret))
    }

    public func start(_ vm: VirtualMachine, on host: Host) async throws(OrchestratorError) {
        guard let address = host.agentAddress else { return try await self.simulator.start(vm, on: host) }
        self.addresses.withLock { $0[host.id] = address }
        try await self.simulator.perform(AgentCommand.start.rawValue)
        var body = Self.body(host.id, vm)
        if Self.isReal(host) { body.spec = try await VirtualMachineSpecs(store: self.store).spec(for: vm, on: host) }
        try await self.send(.start, body, hostId: host.id, failure: "Unable to start VM \(vm.name)")
        // It booted at its size: nothing is hot-plugged any more.
        try? await self.store.setDetails(of: vm.id, [VirtualMachineService.hotplugLayoutDetail: nil])
        if Self.isReal(host) { await self.refreshPeers(of: vm) }
    }

    /// The hypervisor name real (QEMU) hosts register with, CloudStack's for its KVM agent.
    public static let realHypervisor = VirtualMachineService.realHypervisor

    /// Whether a host runs real VMs (its agent needs disks, NICs and a config drive to start one).
    /// - Parameter host: the host.
    /// - Returns: true for a QEMU host.
    public static func isReal(_ host: Host) -> Bool {
        VirtualMachineService.isReal(host)
    }

    public func consoleOutput(_ vm: VirtualMachine, lines: Int) async throws(OrchestratorError) -> String {
        guard let hostId = vm.hostId, try await self.address(of: hostId) != nil else {
            return try await self.simulator.consoleOutput(vm, lines: lines)
        }
        var body = Self.body(hostId, vm)
        body.lines = lines
        let answer = try await self.send(
            .getConsoleOutput,
            body,
            hostId: hostId,
            failure: "Unable to get the console output of VM \(vm.name)"
        )
        return answer.output ?? ""
    }

    public func consoleAddress(_ vm: VirtualMachine) async throws(OrchestratorError) -> String {
        guard let hostId = vm.hostId, try await self.address(of: hostId) != nil else {
            return try await self.simulator.consoleAddress(vm)
        }
        let answer = try await self.send(
            .getVncPort,
            Self.body(hostId, vm),
            hostId: hostId,
            failure: "Unable to reach the console of VM \(vm.name)"
        )
        guard let vnc = answer.vnc else {
            throw OrchestratorError(.resourceUnavailable, "VM \(vm.name) has no VNC server")
        }
        return vnc
    }

    public func deleteVolumes(_ volumes: [Volume], of vm: VirtualMachine) async throws(OrchestratorError) {
        let disks = VirtualMachineSpecs(store: self.store).disks(of: volumes)
        guard !disks.isEmpty else { return }
        // The files are on the zone's primary storage: any Up real host of the zone can delete them.
        let hosts: [Host]
        do {
            hosts = try await self.store.list(
                Host.self,
                ListQuery(equals: [("zone_id", vm.zoneId), ("hypervisor", Self.realHypervisor), ("state", "Up")])
            ).items
        } catch {
            throw OrchestratorError(.internalError, "Unable to read the hosts of zone \(vm.zoneId): \(error.message)")
        }
        guard let host = hosts.first(where: { $0.agentAddress != nil }) else { return }
        self.addresses.withLock { $0[host.id] = host.agentAddress }
        var body = Self.body(host.id, vm)
        body.disks = disks
        try await self.send(.destroyVolumes, body, hostId: host.id, failure: "Unable to delete the disks of \(vm.name)")
    }

    /// The counters of the VMs a host's agent runs (CloudStack's `GetVmStatsCommand`).
    /// - Parameter hostId: the host.
    /// - Returns: counters by VM id.
    /// - Throws: ``OrchestratorError`` as ``vmStates(hostId:)``.
    public func vmStats(hostId: String) async throws(OrchestratorError) -> [String: AgentVmStats] {
        let answer = try await self.send(
            .getVmStats,
            AgentCommandBody(hostId: hostId),
            hostId: hostId,
            failure: "Unable to get the VM stats of host \(hostId)"
        )
        return answer.vmStats ?? [:]
    }

    /// The sizes of the volume files of a host's primary storage (CloudStack's `GetVolumeStatsCommand`).
    /// - Parameter hostId: the host.
    /// - Returns: sizes by file name (a volume's `path`); empty from a simulator.
    /// - Throws: ``OrchestratorError`` as ``vmStates(hostId:)``.
    public func volumeStats(hostId: String) async throws(OrchestratorError) -> [String: AgentVolumeStats] {
        let answer = try await self.send(
            .getVolumeStats,
            AgentCommandBody(hostId: hostId),
            hostId: hostId,
            failure: "Unable to get the volume stats of host \(hostId)"
        )
        return answer.volumeStats ?? [:]
    }

    /// A host's measured use (CloudStack's `GetHostStatsCommand`).
    /// - Parameter hostId: the host.
    /// - Returns: the use, or nil when the agent measures none (a simulator).
    /// - Throws: ``OrchestratorError`` as ``vmStates(hostId:)``.
    public func hostStats(hostId: String) async throws(OrchestratorError) -> AgentHostStats? {
        let answer = try await self.send(
            .getHostStats,
            AgentCommandBody(hostId: hostId),
            hostId: hostId,
            failure: "Unable to get the stats of host \(hostId)"
        )
        return answer.hostStats
    }

    public func stop(_ vm: VirtualMachine, forced: Bool) async throws(OrchestratorError) {
        guard let hostId = vm.hostId, try await self.address(of: hostId) != nil else {
            return try await self.simulator.stop(vm, forced: forced)
        }
        try await self.simulator.perform(AgentCommand.stop.rawValue)
        var body = Self.body(hostId, vm)
        body.forced = forced
        try await self.send(.stop, body, hostId: hostId, failure: "Unable to stop VM \(vm.name)")
        await self.refreshPeers(of: vm)
    }

    public func reboot(_ vm: VirtualMachine) async throws(OrchestratorError) {
        guard let hostId = vm.hostId, try await self.address(of: hostId) != nil else {
            return try await self.simulator.reboot(vm)
        }
        try await self.simulator.perform(AgentCommand.reboot.rawValue)
        try await self.send(.reboot, Self.body(hostId, vm), hostId: hostId, failure: "Unable to reboot VM \(vm.name)")
    }

    public func scale(_ vm: VirtualMachine, cpuNumber: Int, cpuSpeed: Int, memory: Int) async throws(OrchestratorError)
    {
        guard let hostId = vm.hostId, try await self.address(of: hostId) != nil else {
            return try await self.simulator.scale(vm, cpuNumber: cpuNumber, cpuSpeed: cpuSpeed, memory: memory)
        }
        try await self.simulator.perform(AgentCommand.scale.rawValue)
        var body = Self.body(hostId, vm)
        body.vm?.cpuNumber = cpuNumber
        body.vm?.cpuSpeed = cpuSpeed
        body.vm?.memory = memory
        try await self.send(.scale, body, hostId: hostId, failure: "Unable to scale VM \(vm.name)")
        try await self.recordHotplug(vm, memory: memory)
    }

    /// The VMs a host's agent runs (CloudStack's `GetVmStatesCommand`).
    /// - Parameter hostId: the host.
    /// - Returns: the VMs, sorted by id.
    /// - Throws: ``OrchestratorError`` `.invalidParameter` for a host without an agent, `.resourceUnavailable`
    ///   when the agent cannot be reached or refuses.
    public func vmStates(hostId: String) async throws(OrchestratorError) -> [AgentVm] {
        guard try await self.address(of: hostId) != nil else {
            throw OrchestratorError(.invalidParameter, "Host \(hostId) has no agent")
        }
        let answer = try await self.send(
            .getVmStates,
            AgentCommandBody(hostId: hostId),
            hostId: hostId,
            failure: "Unable to get the VM states of host \(hostId)"
        )
        return answer.vms ?? []
    }

    /// Checks that a host's agent answers (CloudStack's `ReadyCommand`).
    /// - Parameter hostId: the host.
    /// - Throws: ``OrchestratorError`` as ``vmStates(hostId:)``.
    public func ping(hostId: String) async throws(OrchestratorError) {
        guard try await self.address(of: hostId) != nil else {
            throw OrchestratorError(.invalidParameter, "Host \(hostId) has no agent")
        }
        try await self.send(
            .ready,
            AgentCommandBody(hostId: hostId),
            hostId: hostId,
            failure: "Host \(hostId) is not ready"
        )
    }

    // MARK: internals

    static func body(_ hostId: String, _ vm: VirtualMachine) -> AgentCommandBody {
        AgentCommandBody(
            hostId: hostId,
            vm: AgentVm(id: vm.id, name: vm.name, cpuNumber: vm.cpuNumber, cpuSpeed: vm.cpuSpeed, memory: vm.memory)
        )
    }

    /// The host's agent address: as last learnt, else read from its row.
    func address(of hostId: String) async throws(OrchestratorError) -> String? {
        if let known = self.addresses.withLock({ $0[hostId] }) { return known }
        return try await self.refreshAddress(of: hostId)
    }

    private func refreshAddress(of hostId: String) async throws(OrchestratorError) -> String? {
        let address: String?
        do {
            address = try await self.store.agentAddress(hostId: hostId)
        } catch {
            throw OrchestratorError(.internalError, "Unable to read host \(hostId): \(error.message)")
        }
        self.addresses.withLock { $0[hostId] = address }
        return address
    }

    /// Sends a command (its answer awaited `timeout`, nil: the pool's command timeout); a lost connection is
    /// retried once on a fresh connection (the agent may have restarted, perhaps on another address: the row is
    /// read again). Every command is idempotent on the agent, except a `MigrateCommand` (`resend` false): a
    /// connection lost after it was sent is not retried.
    @discardableResult
    func send(
        _ command: AgentCommand,
        _ body: AgentCommandBody,
        hostId: String,
        failure: String,
        timeout: Duration? = nil,
        resend: Bool = true
    ) async throws(OrchestratorError) -> AgentAnswer {
        guard var address = try await self.address(of: hostId) else {
            throw OrchestratorError(.resourceUnavailable, "\(failure) due to: host \(hostId) has no agent")
        }
        var attempt = 0
        while true {
            attempt += 1
            do {
                let answer = try await self.pool.send(command, body, to: address, timeout: timeout)
                if !answer.result, attempt == 1, answer.details == SimulatorAgent.notServed(hostId),
                    let fresh = try await self.refreshAddress(of: hostId), fresh != address
                {
                    // Another agent now listens at the address this server knew: the host moved.
                    address = fresh
                    continue
                }
                guard answer.result else {
                    // A host without the memory for the VM: CloudStack's InsufficientCapacityException (533).
                    let kind: OrchestratorError.Kind =
                        answer.insufficientCapacity == true ? .insufficientCapacity : .resourceUnavailable
                    throw OrchestratorError(kind, "\(failure) due to: \(answer.details)")
                }
                return answer
            } catch let error as AgentProtocolError {
                let retry: Bool
                if attempt == 1, error.kind == .connectionClosed || error.kind == .unreachable,
                    let fresh = try await self.refreshAddress(of: hostId)
                {
                    retry = (error.kind == .connectionClosed && resend) || fresh != address
                    address = fresh
                } else {
                    retry = false
                }
                if !retry {
                    throw OrchestratorError(.resourceUnavailable, "\(failure) due to: \(error.message)")
                }
            } catch let error as OrchestratorError {
                throw error
            } catch {
                throw OrchestratorError(.resourceUnavailable, "\(failure) due to: \(error)")
            }
        }
    }
}
