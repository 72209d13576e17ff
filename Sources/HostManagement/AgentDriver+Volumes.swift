import Agent
import CloudModel
import CloudStore
import Orchestrator

extension AgentDriver {
    public func attachVolume(_ volume: Volume, deviceId: Int, to vm: VirtualMachine) async throws(OrchestratorError) {
        guard let hostId = try await self.realHost(running: vm) else { return }
        var body = Self.body(hostId, vm)
        var disk = try await self.disk(of: volume)
        disk.deviceId = deviceId
        body.disk = disk
        try await self.send(
            .attach,
            body,
            hostId: hostId,
            failure: "Failed to attach volume \(volume.name) to VM \(vm.name)"
        )
    }

    public func detachVolume(_ volume: Volume, from vm: VirtualMachine) async throws(OrchestratorError) {
        guard let hostId = try await self.realHost(running: vm) else { return }
        var body = Self.body(hostId, vm)
        body.disk = try await self.disk(of: volume)
        try await self.send(
            .detach,
            body,
            hostId: hostId,
            failure: "Failed to detach volume \(volume.name) from VM \(vm.name)"
        )
    }

    public func resizeVolume(_ volume: Volume, to size: Int, of vm: VirtualMachine) async throws(OrchestratorError) {
        guard let hostId = try await self.realHost(running: vm) else { return }
        var body = Self.body(hostId, vm)
        var disk = try await self.disk(of: volume)
        disk.sizeBytes = Int64(size)
        body.disk = disk
        try await self.send(.resizeVolume, body, hostId: hostId, failure: "Failed to resize volume \(volume.name)")
    }

    public func changeISO(of vm: VirtualMachine, to isoId: String?) async throws(OrchestratorError) {
        guard let hostId = try await self.realHost(running: vm) else { return }
        var body = Self.body(hostId, vm)
        guard let isoId else {
            try await self.send(.detach, body, hostId: hostId, failure: "Failed to detach the ISO from VM \(vm.name)")
            return
        }
        body.iso = try await VirtualMachineSpecs(store: self.store).isoFile(isoId, zoneId: vm.zoneId)
        try await self.send(.attach, body, hostId: hostId, failure: "Failed to attach the ISO to VM \(vm.name)")
    }

    /// The host of `vm` when it runs on a real (QEMU) host; nil otherwise (a stopped VM gets its disks and ISO at
    /// its next start, a simulated one has no files).
    private func realHost(running vm: VirtualMachine) async throws(OrchestratorError) -> String? {
        guard vm.state == .running, let hostId = vm.hostId else { return nil }
        do {
            guard let host = try await self.store.get(Host.self, id: hostId), Self.isReal(host) else { return nil }
            return host.id
        } catch {
            throw OrchestratorError(.internalError, "Unable to read host \(hostId): \(error.message)")
        }
    }

    /// The agent's view of a volume, its file name assigned if it had none.
    func disk(of volume: Volume) async throws(OrchestratorError) -> AgentDisk {
        let path: String
        do {
            path = try await self.store.assignVolumePath(id: volume.id, path: "\(volume.id).qcow2")
        } catch {
            throw OrchestratorError(.internalError, "Unable to read volume \(volume.name): \(error.message)")
        }
        return AgentDisk(
            volumeId: volume.id,
            type: volume.type,
            deviceId: volume.deviceId ?? 0,
            path: path,
            sizeBytes: Int64(volume.size)
        )
    }
}
