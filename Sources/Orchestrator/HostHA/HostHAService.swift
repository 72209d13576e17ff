import CloudModel
import CloudStore
import Logging

/// Host high availability: what happens when a host's agent disappears (its ZooKeeper node is gone) and when it
/// comes back. The host goes `Disconnected` at once and `Down` after the agent timeout
/// (`ping.interval` × `ping.timeout` seconds, CloudStack's "agent has timed out"); the VMs it ran lose their
/// capacity there, those with HA (the offering's `offerha`, or the VM's `haenable` detail) are restarted by the
/// planner on another host, and the others are marked Stopped. Each step is recorded in the event log.
///
/// The status moves are CloudStack's (``HostStateMachine``): a host whose agent's node vanished is handled as
/// CloudStack handles the hosts of a management server that went down (`ManagementServerDown`: Up or Connecting →
/// Disconnected), since what ended is the agent's session with the management plane; after the agent timeout
/// `HostDown` makes it Down; an agent that registers again is `AgentConnected` then `Ready` (→ Up), persisted as one
/// move. Each move is one compare-and-set from the statuses the machine allows it from.
///
/// Before a real host is declared Down, fencing asks a neighbour on the shared storage whether it still runs its
/// VMs (``fence(_:from:)``); while it does, the host stays in Alert and nothing is restarted.
///
/// The waiting is injected (`sleep`), so tests call ``hostDisconnected(_:)`` and ``hostDown(_:)`` directly.
public struct HostHAService: Sendable {
    /// The VM detail that overrides the offering's HA flag (`updateVirtualMachine haenable=`).
    public static let haEnableDetail = "haenable"

    /// The statuses ``hostDisconnected(_:)`` moves a host from: those `ManagementServerDown` makes Disconnected.
    public static let disconnectedFrom = HostStateMachine.sources(of: [.managementServerDown], to: .disconnected)

    /// The statuses ``hostDown(_:onlyIfDisconnected:)`` moves a host from: those `HostDown` makes Down.
    public static let downFrom = HostStateMachine.sources(of: [.hostDown], to: .down)

    /// The statuses ``hostReconnected(_:)`` moves a host from: those awaiting their agent that `AgentConnected`
    /// then `Ready` make Up (Disconnected, Down, Alert).
    public static let reconnectedFrom = HostStateMachine.sources(of: [.agentConnected, .ready], to: .up)
        .filter(\.isAwaitingAgent)

    /// What ``hostDown(_:)`` did to the host's VMs.
    public struct Report: Sendable, Hashable {
        /// Whether this call moved the host to Down (false when it was already Down, Up again, or unknown).
        public var markedDown: Bool
        /// VMs restarted on another host: VM id → new host id.
        public var restarted: [String: String]
        /// VMs left Stopped (no HA, or no host had room).
        public var stopped: [String]
        /// Why the host was not declared Down: fencing found it still active on its storage, or could not tell
        /// (``HypervisorDriver/checkOnHost(_:vms:)``); it is in Alert and its VMs are left alone.
        public var fenced: String? = nil
    }

    let store: CloudStore
    let virtualMachines: VirtualMachineService
    let events: EventLog
    let alerts: AlertLog
    let logger: Logger
    let sleep: @Sendable (Duration) async throws -> Void

    /// Creates the service.
    /// - Parameters:
    ///   - store: the store.
    ///   - virtualMachines: the VM service (its planner restarts HA VMs; its settings give the wait).
    ///   - events: the event log.
    ///   - alerts: the alert log (host down, HA restart failures); a new one over `store` when nil.
    ///   - logger: a logger.
    ///   - sleep: how ``hostLost(_:)`` waits before declaring the host Down.
    public init(
        store: CloudStore,
        virtualMachines: VirtualMachineService,
        events: EventLog,
        alerts: AlertLog? = nil,
        logger: Logger,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.store = store
        self.virtualMachines = virtualMachines
        self.events = events
        self.alerts = alerts ?? AlertLog(store: store, logger: logger)
        self.logger = logger
        self.sleep = sleep
    }

    /// How long a disconnected host may stay silent before it is declared Down: `ping.interval` × `ping.timeout`.
    /// - Returns: the wait.
    /// - Throws: ``OrchestratorError`` when the settings cannot be read.
    public func downWait() async throws(OrchestratorError) -> Duration {
        let snapshot = try await self.virtualMachines.configuration.snapshot()
        let interval = Double(snapshot.int(GlobalSettings.Name.pingInterval) ?? 60)
        let timeout = snapshot.double(GlobalSettings.Name.pingTimeout) ?? 2.5
        return .milliseconds(Int(saturating: (interval * timeout * 1000).rounded()))
    }

    /// The whole sequence for a host whose node disappeared: Disconnected now, then, after ``downWait()``, Down
    /// with its VMs handled, unless the host reconnected meanwhile.
    /// - Parameter hostId: the host.
    /// - Returns: the report, or nil when the host was not Up, reconnected during the wait, or the wait was
    ///   cancelled.
    /// - Throws: ``OrchestratorError``.
    public func hostLost(_ hostId: String) async throws(OrchestratorError) -> Report? {
        guard try await self.hostDisconnected(hostId) else { return nil }
        return try await self.downAfterWaits(hostId)
    }

    /// Waits ``downWait()``, then declares a still silent host Down (``hostDown(_:onlyIfDisconnected:)``); while
    /// fencing finds it alive (or cannot tell), waits and checks again, as CloudStack's investigators do.
    /// - Parameter hostId: the host.
    /// - Returns: the report once the host went Down; nil when it came back or the wait was cancelled.
    /// - Throws: ``OrchestratorError``.
    public func downAfterWaits(_ hostId: String) async throws(OrchestratorError) -> Report? {
        while true {
            do {
                try await self.sleep(try await self.downWait())
            } catch let error as OrchestratorError {
                throw error
            } catch {
                return nil
            }
            let report = try await self.hostDown(hostId, onlyIfDisconnected: true)
            if report.markedDown { return report }
            guard report.fenced != nil else { return nil }
        }
    }

    /// The host's agent is gone: Up (or Connecting) → Disconnected (``disconnectedFrom``), recorded as
    /// `HOST.DISCONNECTED`.
    /// - Parameter hostId: the host.
    /// - Returns: true when this call changed the host's status.
    /// - Throws: ``OrchestratorError``.
    @discardableResult
    public func hostDisconnected(_ hostId: String) async throws(OrchestratorError) -> Bool {
        let changed = try await self.virtualMachines.run {
            try await self.store.transitionHostStatus(id: hostId, from: Self.disconnectedFrom, to: .disconnected)
        }
        if changed {
            let name = try await self.hostName(hostId)
            await self.events.record(
                "HOST.DISCONNECTED",
                "Host \(name) [\(hostId)] disconnected: its agent stopped answering",
                level: "WARN",
                resourceId: hostId,
                resourceType: "Host"
            )
        }
        return changed
    }

    /// The host is dead: → Down from a status of ``downFrom`` (`HOST.DOWN`); each VM on it releases its capacity
    /// there; HA VMs restart through the planner elsewhere (`HA.VM.RESTART`), the others become Stopped
    /// (`VM.STOP`, or `HA.VM.RESTART` at ERROR level when no host had room).
    /// - Parameters:
    ///   - hostId: the host.
    ///   - onlyIfDisconnected: act only on a host still Disconnected (the timer's check that it did not return).
    /// - Returns: what happened.
    /// - Throws: ``OrchestratorError``.
    public func hostDown(_ hostId: String, onlyIfDisconnected: Bool = false) async throws(OrchestratorError) -> Report {
        // A host fencing left in Alert is still silent: the timer may declare it Down later.
        let from = onlyIfDisconnected ? Self.downFrom.filter { $0 == .disconnected || $0 == .alert } : Self.downFrom
        if let fenced = try await self.fence(hostId, from: from) {
            return Report(markedDown: false, restarted: [:], stopped: [], fenced: fenced)
        }
        let changed = try await self.virtualMachines.run {
            try await self.store.transitionHostStatus(id: hostId, from: from, to: .down)
        }
        var report = Report(markedDown: changed, restarted: [:], stopped: [])
        guard changed else { return report }
        let host = try await self.virtualMachines.run { try await self.store.get(CloudModel.Host.self, id: hostId) }
        let name = host?.name ?? hostId
        await self.events.record(
            "HOST.DOWN",
            "Host \(name) [\(hostId)] is Down; handling its VMs",
            level: "ERROR",
            resourceId: hostId,
            resourceType: "Host"
        )
        await self.alerts.raise(
            .host,
            "Host is down, name: \(name) (id: \(hostId)), availability zone: \(host?.zoneId ?? ""), pod: "
                + (host?.podId ?? ""),
            zoneId: host?.zoneId,
            podId: host?.podId,
            clusterId: host?.clusterId
        )
        let vms = try await self.virtualMachines.run { try await self.store.virtualMachines(onHosts: [hostId]) }
        try await self.handleVirtualMachines(vms, of: host, hostId: hostId, into: &report)
        return report
    }

    /// The host's agent is back: Disconnected, Down or Alert (``reconnectedFrom``) → Up (`HOST.RECONNECTED`). VMs
    /// already moved or stopped stay as they are.
    /// - Parameter hostId: the host.
    /// - Returns: true when this call changed the host's status.
    /// - Throws: ``OrchestratorError``.
    @discardableResult
    public func hostReconnected(_ hostId: String) async throws(OrchestratorError) -> Bool {
        let changed = try await self.virtualMachines.run {
            try await self.store.transitionHostStatus(id: hostId, from: Self.reconnectedFrom, to: .up)
        }
        if changed {
            let name = try await self.hostName(hostId)
            await self.events.record(
                "HOST.RECONNECTED",
                "Host \(name) [\(hostId)] reconnected",
                resourceId: hostId,
                resourceType: "Host"
            )
        }
        return changed
    }

    /// Marks a VM of a dead host Stopped (the agent cannot be asked) and releases its capacity there.
    /// - Returns: the stopped VM, or nil when it changed concurrently.
    func stopOnDeadHost(_ vm: VirtualMachine, hostId: String) async throws(OrchestratorError) -> VirtualMachine? {
        let stopped: VirtualMachine
        do throws(OrchestratorError) {
            stopped = try await self.virtualMachines.transition(vm, .agentReportStopped, hostId: nil)
        } catch {
            self.logger.warning("VM changed during host HA", metadata: ["vm": "\(vm.id)"])
            return nil
        }
        try await self.virtualMachines.run {
            try await self.store.releaseCapacity(hostId: hostId, cpu: vm.cpuDemand, memory: vm.memoryDemand)
        }
        return stopped
    }

    /// Whether a VM is restarted elsewhere: its `haenable` detail when set, else its offering's `offerha`.
    func isHighlyAvailable(_ vm: VirtualMachine) async throws(OrchestratorError) -> Bool {
        let details = try await self.virtualMachines.run { try await self.store.details(of: vm.id) }
        if let flag = details[Self.haEnableDetail] { return flag.lowercased() == "true" }
        let offering = try await self.virtualMachines.run {
            try await self.store.get(ServiceOffering.self, id: vm.serviceOfferingId)
        }
        return offering?.offerHa ?? false
    }

    func hostName(_ hostId: String) async throws(OrchestratorError) -> String {
        try await self.virtualMachines.run { try await self.store.get(CloudModel.Host.self, id: hostId) }?.name
            ?? hostId
    }
}
