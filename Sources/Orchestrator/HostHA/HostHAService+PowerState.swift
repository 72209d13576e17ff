import CloudModel

extension HostHAService {
    /// What the power-state sync did with one VM.
    public enum PowerOffOutcome: Sendable, Hashable {
        /// The VM changed concurrently (stopped, started or moved by someone else): nothing done.
        case unchanged
        /// Marked Stopped; not HA-enabled.
        case stopped
        /// Marked Stopped, then restarted on the host given (HA).
        case restarted(hostId: String)
        /// Marked Stopped; its HA restart failed (alert and event raised).
        case restartFailed
    }

    /// A running VM its host reports powered off (the guest shut itself down, or its process died): CloudStack's
    /// out-of-band power-off (`VirtualMachinePowerStateSyncImpl`, `handlePowerOffReportWithNoPendingJobsOnVM`).
    /// The VM turns Stopped and its capacity is released (`VM.STOP` event, a sync alert); an HA-enabled VM is then
    /// restarted (`HA.VM.RESTART`).
    /// - Parameters:
    ///   - vm: the VM as read before its host was asked (a change since then wins: nothing is done).
    ///   - hostId: the host that reported it.
    /// - Returns: what happened.
    /// - Throws: ``OrchestratorError`` when the store fails.
    public func vmPoweredOff(_ vm: VirtualMachine, hostId: String) async throws(OrchestratorError) -> PowerOffOutcome {
        guard let stopped = try await self.stopOnDeadHost(vm, hostId: hostId) else { return .unchanged }
        let hostName = try await self.hostName(hostId)
        await self.events.record(
            "VM.STOP",
            "VM \(vm.name) was powered off outside ZooStack on host \(hostName)",
            level: "WARN",
            accountId: vm.accountId,
            resourceId: vm.id,
            resourceType: "VirtualMachine"
        )
        await self.alerts.raise(
            type: Self.syncAlertType,
            name: Self.syncAlertName,
            description: "VM state sync alert: VM \(vm.name) (id: \(vm.id)) is powered off out-of-band on host "
                + hostName,
            zoneId: vm.zoneId
        )
        guard try await self.isHighlyAvailable(stopped) else { return .stopped }
        do throws(OrchestratorError) {
            let started = try await self.virtualMachines.start(id: stopped.id)
            await self.events.record(
                "HA.VM.RESTART",
                "VM \(vm.name) restarted on host \(started.hostId ?? "") after it powered off on host \(hostName)",
                accountId: vm.accountId,
                resourceId: vm.id,
                resourceType: "VirtualMachine"
            )
            return .restarted(hostId: started.hostId ?? "")
        } catch {
            await self.alerts.raise(
                .userVM,
                "Unable to restart \(vm.name) which powered off on host \(hostName)",
                zoneId: vm.zoneId
            )
            await self.events.record(
                "HA.VM.RESTART",
                "Unable to restart HA VM \(vm.name) after it powered off: \(error.message)",
                level: "ERROR",
                accountId: vm.accountId,
                resourceId: vm.id,
                resourceType: "VirtualMachine"
            )
            return .restartFailed
        }
    }

    /// CloudStack's `ALERT_TYPE_SYNC`.
    static let syncAlertType = 27
    /// Its name.
    static let syncAlertName = "ALERT.TYPE.SYNC"
}
