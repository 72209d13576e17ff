import CloudModel
import CloudStore
import Foundation
import Logging

/// Host HA for many hosts at once (an agent process carrying thousands of hosts died, or came back): each status
/// move is one compare-and-set statement for the whole batch, the events of a batch are one insert, and the VMs of
/// the hosts that went Down are handled a bounded number of hosts at a time, so the database pool is never
/// exhausted however many hosts are lost together.
extension HostHAService {
    /// ``hostDisconnected(_:)`` for a batch: Up (or Connecting) → Disconnected, `HOST.DISCONNECTED` for each host
    /// that moved.
    /// - Parameter hostIds: the hosts (one batch).
    /// - Returns: the hosts this call changed.
    /// - Throws: ``OrchestratorError``.
    @discardableResult
    public func hostsDisconnected(_ hostIds: [String]) async throws(OrchestratorError) -> [String] {
        let changed = try await self.virtualMachines.run {
            try await self.store.transitionHostStatuses(ids: hostIds, from: Self.disconnectedFrom, to: .disconnected)
        }
        try await self.recordHostEvents(changed, type: "HOST.DISCONNECTED", level: "WARN") { id, name in
            "Host \(name) [\(id)] disconnected: its agent stopped answering"
        }
        return changed
    }

    /// ``hostReconnected(_:)`` for a batch: Disconnected, Down or Alert → Up, `HOST.RECONNECTED` for each host that
    /// moved.
    /// - Parameter hostIds: the hosts (one batch).
    /// - Returns: the hosts this call changed.
    /// - Throws: ``OrchestratorError``.
    @discardableResult
    public func hostsReconnected(_ hostIds: [String]) async throws(OrchestratorError) -> [String] {
        let changed = try await self.virtualMachines.run {
            try await self.store.transitionHostStatuses(ids: hostIds, from: Self.reconnectedFrom, to: .up)
        }
        try await self.recordHostEvents(changed, type: "HOST.RECONNECTED", level: "INFO") { id, name in
            "Host \(name) [\(id)] reconnected"
        }
        return changed
    }

    /// ``hostDown(_:onlyIfDisconnected:)`` for a batch: the status move is one statement, `HOST.DOWN` one insert;
    /// then each host's alert and VMs are handled, at most `concurrency` hosts at a time.
    /// - Parameters:
    ///   - hostIds: the hosts (one batch).
    ///   - onlyIfDisconnected: act only on hosts still silent (Disconnected, or Alert after fencing).
    ///   - concurrency: how many hosts' VMs are handled at once (each uses one database connection at a time).
    /// - Returns: the report of each host this call moved to Down, and of each real host fencing kept from it
    ///   (``fence(_:from:)``: `fenced` says why; the caller waits and tries again).
    /// - Throws: ``OrchestratorError`` when the batch's status move fails; a failure handling one host's VMs is
    ///   logged and leaves that host's report partial.
    public func hostsDown(
        _ hostIds: [String],
        onlyIfDisconnected: Bool = false,
        concurrency: Int = 4
    ) async throws(OrchestratorError) -> [String: Report] {
        // A host fencing left in Alert is still silent: the timer may declare it Down later.
        let from = onlyIfDisconnected ? Self.downFrom.filter { $0 == .disconnected || $0 == .alert } : Self.downFrom
        var reports: [String: Report] = [:]
        // Fencing asks a neighbour about each real host (simulated ones have nothing that could run twice).
        let real = try await self.virtualMachines.run { try await self.store.hosts(ids: Set(hostIds)) }
            .filter { VirtualMachineService.isReal($0) }
        for host in real {
            if let fenced = try await self.fence(host.id, from: from) {
                reports[host.id] = Report(markedDown: false, restarted: [:], stopped: [], fenced: fenced)
            }
        }
        let candidates = hostIds.filter { reports[$0] == nil }
        let changed = try await self.virtualMachines.run {
            try await self.store.transitionHostStatuses(ids: candidates, from: from, to: .down)
        }
        guard !changed.isEmpty else { return reports }
        let hosts = try await self.virtualMachines.run { try await self.store.hosts(ids: Set(changed)) }
        let byId = Dictionary(hosts.map { ($0.id, $0) }) { first, _ in first }
        try await self.recordHostEvents(changed, type: "HOST.DOWN", level: "ERROR") { id, name in
            "Host \(name) [\(id)] is Down; handling its VMs"
        }
        let vms = try await self.virtualMachines.run { try await self.store.virtualMachines(onHosts: changed) }
        let vmsByHost = Dictionary(grouping: vms) { $0.hostId ?? "" }
        await withTaskGroup(of: (String, Report).self) { group in
            var next = 0
            func start(_ group: inout TaskGroup<(String, Report)>) {
                guard next < changed.count else { return }
                let id = changed[next]
                next += 1
                let host = byId[id]
                let vms = vmsByHost[id] ?? []
                group.addTask { (id, await self.settleDownHost(id, host: host, vms: vms)) }
            }
            for _ in 0..<max(concurrency, 1) { start(&group) }
            while let (id, report) = await group.next() {
                reports[id] = report
                start(&group)
            }
        }
        return reports
    }

    /// Raises a Down host's alert and handles its VMs; errors are logged.
    func settleDownHost(_ hostId: String, host: CloudModel.Host?, vms: [VirtualMachine]) async -> Report {
        var report = Report(markedDown: true, restarted: [:], stopped: [])
        let name = host?.name ?? hostId
        await self.alerts.raise(
            .host,
            "Host is down, name: \(name) (id: \(hostId)), availability zone: \(host?.zoneId ?? ""), pod: "
                + (host?.podId ?? ""),
            zoneId: host?.zoneId,
            podId: host?.podId,
            clusterId: host?.clusterId
        )
        do throws(OrchestratorError) {
            try await self.handleVirtualMachines(vms, of: host, hostId: hostId, into: &report)
        } catch {
            self.logger.error("host HA failed", metadata: ["host": "\(hostId)", "error": "\(error.message)"])
        }
        return report
    }

    /// Stops the running VMs of a Down host, restarting the HA ones elsewhere (``hostDown(_:onlyIfDisconnected:)``).
    func handleVirtualMachines(
        _ vms: [VirtualMachine],
        of host: CloudModel.Host?,
        hostId: String,
        into report: inout Report
    ) async throws(OrchestratorError) {
        let name = host?.name ?? hostId
        for vm in vms where [.running, .starting, .stopping].contains(vm.state) {
            guard let stopped = try await self.stopOnDeadHost(vm, hostId: hostId) else { continue }
            if try await self.isHighlyAvailable(stopped) {
                do throws(OrchestratorError) {
                    let started = try await self.virtualMachines.start(id: stopped.id)
                    report.restarted[stopped.id] = started.hostId ?? ""
                    await self.events.record(
                        "HA.VM.RESTART",
                        "VM \(vm.name) restarted on host \(started.hostId ?? "") after host \(name) went Down",
                        accountId: vm.accountId,
                        resourceId: vm.id,
                        resourceType: "VirtualMachine"
                    )
                    continue
                } catch {
                    await self.alerts.raise(
                        .userVM,
                        "Unable to restart \(vm.name) which was running on host \(name)",
                        zoneId: host?.zoneId,
                        podId: host?.podId,
                        clusterId: host?.clusterId
                    )
                    await self.events.record(
                        "HA.VM.RESTART",
                        "Unable to restart HA VM \(vm.name) after host \(name) went Down: \(error.message)",
                        level: "ERROR",
                        accountId: vm.accountId,
                        resourceId: vm.id,
                        resourceType: "VirtualMachine"
                    )
                }
            } else {
                await self.events.record(
                    "VM.STOP",
                    "VM \(vm.name) stopped: host \(name) went Down and the VM is not HA-enabled",
                    level: "WARN",
                    accountId: vm.accountId,
                    resourceId: vm.id,
                    resourceType: "VirtualMachine"
                )
            }
            report.stopped.append(vm.id)
        }
    }

    /// Records one host event per id, as one insert, described with each host's name.
    func recordHostEvents(
        _ hostIds: [String],
        type: String,
        level: String,
        description: (String, String) -> String
    ) async throws(OrchestratorError) {
        guard !hostIds.isEmpty else { return }
        let hosts = try await self.virtualMachines.run { try await self.store.hosts(ids: Set(hostIds)) }
        let names = Dictionary(hosts.map { ($0.id, $0.name) }) { first, _ in first }
        let system = try await self.virtualMachines.run { try await self.events.systemAccountId() }
        let now = self.events.now
        await self.events.record(
            hostIds.map { id in
                Event(
                    id: UUID().uuidString.lowercased(),
                    type: type,
                    description: description(id, names[id] ?? id),
                    level: level,
                    accountId: system,
                    resourceId: id,
                    resourceType: "Host",
                    created: now
                )
            }
        )
    }
}
