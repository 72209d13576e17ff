import Agent
import CloudModel
import CloudStore
import Orchestrator

/// Snapshots and templates of real volumes: `CopyCommand` and `RevertSnapshotCommand` to the host that runs the
/// volume's VM, or to any Up real host of the zone when none does (primary storage and the image store are the
/// zone's, as `DestroyCommand` assumes). A zone without real hosts keeps them as records (the simulator's).
extension AgentDriver {
    public func backupSnapshot(
        of volume: Volume,
        attachedTo vm: VirtualMachine?,
        to file: String
    ) async throws(OrchestratorError) -> ImageFileSizes? {
        guard let hostId = try await self.storageHost(zoneId: volume.zoneId, vm: vm) else { return nil }
        var body = AgentCommandBody(hostId: hostId, vm: vm.flatMap { Self.body(hostId, $0).vm })
        body.source = .volume(try await self.disk(of: volume))
        body.destination = .snapshot(file)
        let answer = try await self.send(
            .copy,
            body,
            hostId: hostId,
            failure: "Failed to create snapshot of volume \(volume.name)"
        )
        return Self.sizes(answer)
    }

    public func createTemplate(
        from volume: Volume,
        attachedTo vm: VirtualMachine?,
        to file: String
    ) async throws(OrchestratorError) -> ImageFileSizes? {
        guard let hostId = try await self.storageHost(zoneId: volume.zoneId, vm: vm) else { return nil }
        var body = AgentCommandBody(hostId: hostId, vm: vm.flatMap { Self.body(hostId, $0).vm })
        body.source = .volume(try await self.disk(of: volume))
        body.destination = .template(file)
        let answer = try await self.send(
            .copy,
            body,
            hostId: hostId,
            failure: "Failed to create template from volume \(volume.name)"
        )
        return Self.sizes(answer)
    }

    public func createTemplate(
        fromSnapshot snapshotFile: String,
        zoneId: String,
        to file: String
    ) async throws(OrchestratorError) -> ImageFileSizes? {
        guard let hostId = try await self.storageHost(zoneId: zoneId, vm: nil) else { return nil }
        let body = AgentCommandBody(hostId: hostId, source: .snapshot(snapshotFile), destination: .template(file))
        let answer = try await self.send(
            .copy,
            body,
            hostId: hostId,
            failure: "Failed to create template from snapshot"
        )
        return Self.sizes(answer)
    }

    public func revertSnapshot(
        _ snapshotFile: String,
        to volume: Volume,
        attachedTo vm: VirtualMachine?
    ) async throws(OrchestratorError) -> Bool {
        guard let hostId = try await self.storageHost(zoneId: volume.zoneId, vm: vm) else { return false }
        var body = AgentCommandBody(hostId: hostId, vm: vm.flatMap { Self.body(hostId, $0).vm })
        body.source = .snapshot(snapshotFile)
        body.destination = .volume(try await self.disk(of: volume))
        try await self.send(
            .revertSnapshot,
            body,
            hostId: hostId,
            failure: "Failed to revert volume \(volume.name) to a snapshot"
        )
        return true
    }

    /// The host to run a storage command on: the running VM's host when it is real (nil when it is simulated),
    /// else an Up real host of the zone; nil for a zone without real hosts.
    /// - Throws: `.resourceUnavailable` when the zone has real hosts but none is Up.
    private func storageHost(zoneId: String, vm: VirtualMachine?) async throws(OrchestratorError) -> String? {
        do {
            if let vm, vm.state == .running, let hostId = vm.hostId {
                guard let host = try await self.store.get(Host.self, id: hostId), Self.isReal(host) else { return nil }
                return host.id
            }
            let hosts = try await self.store.list(
                Host.self,
                ListQuery(equals: [("zone_id", zoneId), ("hypervisor", Self.realHypervisor)])
            ).items.filter(Self.isReal)
            guard !hosts.isEmpty else { return nil }
            guard let host = hosts.sorted(by: { $0.id < $1.id }).first(where: { $0.state == "Up" }) else {
                throw OrchestratorError(.resourceUnavailable, "No host of zone \(zoneId) is Up to copy the volume")
            }
            return host.id
        } catch let error as OrchestratorError {
            throw error
        } catch {
            throw OrchestratorError(.internalError, "Unable to read the hosts of zone \(zoneId): \(error)")
        }
    }

    private static func sizes(_ answer: AgentAnswer) -> ImageFileSizes? {
        answer.written.map { ImageFileSizes(virtualSize: Int($0.virtualSize), physicalSize: Int($0.physicalSize)) }
    }
}
