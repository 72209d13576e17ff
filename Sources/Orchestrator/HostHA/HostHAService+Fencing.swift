import CloudModel
import CloudStore
import Logging

extension HostHAService {
    /// Fencing before a host's VMs are handled as dead, as CloudStack's KVM HA investigates a host before its VMs
    /// restart (`KVMInvestigator`, `KVMHAChecker`): the driver asks a neighbour on the shared storage whether the
    /// host still runs the VMs it had (``HypervisorDriver/checkOnHost(_:vms:)``). A host found alive, or that
    /// nobody could check, moves to Alert (once, with an alert) and its VMs stay as they are, Running on it: a
    /// second copy of a VM on shared storage is worse than a late restart.
    /// - Parameters:
    ///   - hostId: the host.
    ///   - from: the statuses it may be declared Down from (another status: nothing to fence, nil).
    /// - Returns: nil to go ahead; else why the host must not be declared Down now.
    /// - Throws: ``OrchestratorError`` when the store fails.
    func fence(_ hostId: String, from: [HostStatus]) async throws(OrchestratorError) -> String? {
        guard let host = try await self.virtualMachines.run({ try await self.store.get(Host.self, id: hostId) }),
            from.contains(host.status)
        else { return nil }
        let vms = try await self.virtualMachines.run { try await self.store.virtualMachines(onHosts: [hostId]) }
            .filter { [.running, .starting, .stopping].contains($0.state) }
        guard !vms.isEmpty else { return nil }
        switch await self.virtualMachines.driver.checkOnHost(host, vms: vms) {
        case .notFenced:
            return nil
        case .dead(let reason):
            self.logger.warning("host fenced as dead", metadata: ["host": "\(hostId)", "reason": "\(reason)"])
            return nil
        case .alive(let reason), .unknown(let reason):
            let changed = try await self.virtualMachines.run {
                try await self.store.transitionHostStatus(id: hostId, from: [.disconnected], to: .alert)
            }
            if changed {
                await self.alerts.raise(
                    .host,
                    "Host \(host.name) (id: \(hostId)) lost its management connection but was not declared Down: "
                        + "\(reason); its \(vms.count) VMs are not restarted elsewhere",
                    zoneId: host.zoneId,
                    podId: host.podId,
                    clusterId: host.clusterId
                )
            }
            self.logger.warning("host not fenced", metadata: ["host": "\(hostId)", "reason": "\(reason)"])
            return reason
        }
    }
}
