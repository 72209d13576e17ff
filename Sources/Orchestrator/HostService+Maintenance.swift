import CloudModel
import CloudStore
import Logging

extension HostService {
    /// `prepareHostForMaintenance`: the host goes to PrepareForMaintenance (so the planner skips it), each of its
    /// running VMs is live-migrated to the planner's best other host (capacity reserved on the target with the
    /// CAS, released on the source, the VM's host changed), then the host is in Maintenance; when a VM cannot
    /// move, the host is left in ErrorInMaintenance.
    /// - Parameter id: the host.
    /// - Returns: the host in its final state.
    /// - Throws: ``OrchestratorError`` 431 when the host is already in (or entering) maintenance.
    public func prepareForMaintenance(id: String) async throws(OrchestratorError) -> CloudModel.Host {
        let host = try await self.load(id)
        let allowed: [HostResourceState] = [.enabled, .disabled, .errorInMaintenance]
        guard allowed.contains(host.resourceStatus) else {
            throw OrchestratorError(
                .invalidParameter,
                "Host \(host.name) is in \(host.resourceState) state; it cannot be prepared for maintenance"
            )
        }
        try await self.moveState(host, to: .prepareForMaintenance)
        let vms = try await self.virtualMachines.run {
            try await self.store.list(VirtualMachine.self, ListQuery(equals: [("host_id", id)])).items
        }
        var stranded: [String] = []
        for vm in vms {
            do throws(OrchestratorError) {
                try await self.evacuate(vm, from: host)
            } catch {
                self.logger.warning(
                    "cannot migrate vm off host in maintenance",
                    metadata: ["vm": "\(vm.id)", "host": "\(id)", "error": "\(error.message)"]
                )
                stranded.append(vm.name)
            }
        }
        let current = try await self.load(id)
        try await self.moveState(current, to: stranded.isEmpty ? .maintenance : .errorInMaintenance)
        return try await self.load(id)
    }

    /// `cancelHostMaintenance`: back to Enabled from PrepareForMaintenance, Maintenance or ErrorInMaintenance.
    /// - Parameter id: the host.
    /// - Returns: the enabled host.
    /// - Throws: ``OrchestratorError`` 431 when the host is not in maintenance.
    public func cancelMaintenance(id: String) async throws(OrchestratorError) -> CloudModel.Host {
        let host = try await self.load(id)
        let allowed: [HostResourceState] = [.prepareForMaintenance, .maintenance, .errorInMaintenance]
        guard allowed.contains(host.resourceStatus) else {
            throw OrchestratorError(
                .invalidParameter,
                "Host \(host.name) is in \(host.resourceState) state, not in maintenance; nothing to cancel"
            )
        }
        try await self.moveState(host, to: .enabled)
        return try await self.load(id)
    }

    /// `deleteHost`: refused while VMs are on the host, and (unless forced) while it is not in Maintenance.
    /// - Parameters:
    ///   - id: the host.
    ///   - forced: delete without maintenance (still refused while VMs are on it).
    /// - Throws: ``OrchestratorError`` 536 while VMs are on the host, 530 when not in maintenance.
    public func delete(id: String, forced: Bool) async throws(OrchestratorError) {
        let host = try await self.load(id)
        let resident = try await self.virtualMachines.run {
            try await self.store.list(
                VirtualMachine.self,
                ListQuery(equals: [("host_id", id)], pageSize: 0)
            ).total
        }
        guard resident == 0 else {
            throw OrchestratorError(
                .resourceInUse,
                "Unable to delete host \(host.name): \(resident) VMs are on it; put the host into maintenance to "
                    + "migrate them away, or stop them"
            )
        }
        guard forced || host.resourceStatus == .maintenance else {
            throw OrchestratorError(
                .internalError,
                "Host \(host.id) cannot be deleted as it is not in maintenance mode. Either put the host into "
                    + "maintenance or perform a forced deletion."
            )
        }
        try await self.virtualMachines.run { try await self.store.deleteHost(id: id) }
    }

    /// Live-migrates one VM off `host` to the planner's best other host, as `migrateVirtualMachine` without a
    /// host does: capacity reserved on the target, the hypervisor's migration (a real guest moves to the target's
    /// QEMU), the VM's host changed, capacity released on the source.
    private func evacuate(_ vm: VirtualMachine, from host: CloudModel.Host) async throws(OrchestratorError) {
        guard vm.state == .running, vm.hostId == host.id else {
            throw OrchestratorError(.invalidParameter, "VM \(vm.name) is \(vm.state.rawValue), not Running")
        }
        _ = try await self.virtualMachines.migrate(id: vm.id, to: nil)
    }

    private func moveState(_ host: CloudModel.Host, to state: HostResourceState) async throws(OrchestratorError) {
        let won = try await self.virtualMachines.run {
            try await self.store.transitionHost(id: host.id, from: host.resourceState, to: state.rawValue)
        }
        guard won else {
            throw OrchestratorError(.internalError, "Host \(host.name) changed state concurrently; retry")
        }
    }
}
