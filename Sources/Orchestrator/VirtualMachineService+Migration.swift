import CloudModel
import CloudStore

extension VirtualMachineService {
    /// The VM detail that names the host a migration reserved capacity on, until the migration settles
    /// (restart recovery releases it when a server died mid-migration).
    public static let migrationTargetDetail = "migration.target.hostid"
    /// The VM detail that records what live scaling plugged into a running real VM since it booted (its boot size
    /// and the DIMMs added), for the destination of a live migration.
    public static let hotplugLayoutDetail = "hotplug.layout"

    /// Checks that `vm` can be live-migrated (it must be Running on a host), as CloudStack does before queuing.
    /// - Parameter vm: the VM.
    /// - Returns: the VM's current host id.
    /// - Throws: ``OrchestratorError`` 431.
    public static func checkMigratable(_ vm: VirtualMachine) throws(OrchestratorError) -> String {
        guard vm.state == .running, let hostId = vm.hostId else {
            throw OrchestratorError(
                .invalidParameter,
                "VM is not Running, unable to migrate the vm with specified id (state: \(vm.state.rawValue))"
            )
        }
        return hostId
    }

    /// Checks an explicitly requested destination: another Up and Enabled host of the VM's zone.
    /// - Parameters:
    ///   - host: the destination.
    ///   - vm: the VM.
    /// - Throws: ``OrchestratorError`` 431.
    public static func checkDestination(_ host: Host, for vm: VirtualMachine) throws(OrchestratorError) {
        if host.id == vm.hostId {
            throw OrchestratorError(
                .invalidParameter,
                "Cannot migrate VM, destination host is same as current host. Source host id: \(host.id), destination host id: \(host.id)"
            )
        }
        if host.zoneId != vm.zoneId {
            throw OrchestratorError(
                .invalidParameter,
                "Cannot migrate VM, destination host \(host.name) is not in the VM's zone"
            )
        }
        if host.status != .up || host.resourceStatus != .enabled {
            throw OrchestratorError(
                .invalidParameter,
                "Cannot migrate VM, destination host is not in correct state, has status: \(host.state), state: \(host.resourceState)"
            )
        }
    }

    /// Live-migrates a running VM: Running → Migrating, capacity reserved on the destination with the host CAS,
    /// `MigrateCommand`, → Running on the destination, capacity released on the source. On failure the VM is
    /// Running on the source again and the destination's reservation is released.
    /// - Parameters:
    ///   - id: the VM.
    ///   - hostId: the destination, or nil for the planner's choice among the other hosts.
    /// - Returns: the migrated VM.
    /// - Throws: ``OrchestratorError`` (431 when not Running or a bad destination, 533 when no host has room).
    public func migrate(id: String, to hostId: String?) async throws(OrchestratorError) -> VirtualMachine {
        try await self.migrateMeasured(id: id, to: hostId).vm
    }

    /// ``migrate(id:to:)``, with what the hypervisor measured.
    /// - Parameters:
    ///   - id: the VM.
    ///   - hostId: the destination, or nil for the planner's choice among the other hosts.
    /// - Returns: the migrated VM, and the migration's total time and downtime (nil from a simulator).
    /// - Throws: as ``migrate(id:to:)``.
    public func migrateMeasured(
        id: String,
        to hostId: String?
    ) async throws(OrchestratorError) -> (vm: VirtualMachine, figures: MigrationFigures?) {
        let loaded = try await self.load(id)
        let sourceId = try Self.checkMigratable(loaded)
        if let hostId {
            guard let host = try await self.run({ try await self.store.get(Host.self, id: hostId) }) else {
                throw OrchestratorError(
                    .invalidParameter,
                    "Unable to find the host to migrate the VM, host id=\(hostId)"
                )
            }
            try Self.checkDestination(host, for: loaded)
        }
        guard let source = try await self.run({ try await self.store.get(Host.self, id: sourceId) }) else {
            throw OrchestratorError(.internalError, "VM \(loaded.name) is on an unknown host")
        }
        var vm = try await self.transition(loaded, .migrationRequested, hostId: sourceId)
        let candidates: [Host]
        do throws(OrchestratorError) {
            candidates = try await self.placementCandidates(
                for: vm,
                excluding: [sourceId],
                explicitHostId: hostId,
                limit: Self.candidateLimit
            )
        } catch {
            _ = try? await self.transition(vm, .operationFailed, hostId: sourceId)
            throw error
        }
        var reserved: Host?
        for candidate in candidates {
            let won = try? await self.run {
                try await self.store.reserveCapacity(hostId: candidate.id, cpu: vm.cpuDemand, memory: vm.memoryDemand)
            }
            if won == true {
                reserved = candidate
                break
            }
        }
        guard let destination = reserved else {
            _ = try? await self.transition(vm, .operationFailed, hostId: sourceId)
            throw OrchestratorError(
                .insufficientCapacity,
                hostId == nil
                    ? "Unable to find a suitable destination host to migrate VM \(vm.name)"
                    : "Unable to migrate VM \(vm.name): destination host \(hostId ?? "") does not have enough capacity"
            )
        }
        try? await self.store.setDetails(of: vm.id, [Self.migrationTargetDetail: destination.id])
        let figures: MigrationFigures?
        do throws(OrchestratorError) {
            figures = try await self.driver.migrate(vm, from: source, to: destination)
            vm = try await self.transition(vm, .operationSucceeded, hostId: destination.id)
        } catch {
            try? await self.store.releaseCapacity(hostId: destination.id, cpu: vm.cpuDemand, memory: vm.memoryDemand)
            try? await self.store.setDetails(of: vm.id, [Self.migrationTargetDetail: nil])
            _ = try? await self.transition(vm, .operationFailed, hostId: sourceId)
            throw error
        }
        try await self.run {
            try await self.store.releaseCapacity(hostId: sourceId, cpu: vm.cpuDemand, memory: vm.memoryDemand)
            try await self.store.setDetails(of: vm.id, [Self.migrationTargetDetail: nil])
        }
        return (vm, figures)
    }

    /// The hosts a running VM could move to (findHostsForMigration): every other Up host of its zone, with
    /// whether the placement step would accept it now.
    /// - Parameter id: the VM.
    /// - Returns: the hosts, and the ids of the suitable ones.
    /// - Throws: ``OrchestratorError`` 431 when the VM is not Running.
    public func hostsForMigration(id: String) async throws(OrchestratorError) -> (hosts: [Host], suitable: Set<String>)
    {
        let vm = try await self.load(id)
        let sourceId = try Self.checkMigratable(vm)
        let hosts = try await self.run {
            try await self.store.list(Host.self, ListQuery(equals: [("zone_id", vm.zoneId)])).items
        }
        let suitable = try await self.placementCandidates(for: vm, excluding: [sourceId], explicitHostId: nil)
        return (hosts.filter { $0.id != sourceId }, Set(suitable.map(\.id)))
    }
}
