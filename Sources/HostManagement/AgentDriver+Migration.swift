import Agent
import CloudModel
import CloudStore
import Orchestrator
import Synchronization

extension AgentDriver {
    /// Live-migrates a VM between agent hosts in CloudStack's order: `PrepareForMigrationCommand` to the
    /// destination (a QEMU host starts the VM's machine waiting for its state and answers where it listens), then
    /// `MigrateCommand` to the source with that address and `migratewait`. When either fails, the destination is
    /// told to drop what it prepared (a forced `StopCommand`, as CloudStack's clean-up after a failed migration),
    /// and the VM stays on the source. A `MigrateCommand` whose answer is lost is not sent again: a real source is
    /// asked whether it still runs the VM, and the destination is cleared only when it does (a VM that left the
    /// source for a destination that runs it has migrated).
    ///
    /// `configureSimulator`'s rule for `MigrateCommand` applies between the two commands (a `wait:` there leaves
    /// the destination prepared for that long).
    /// - Returns: the total time and downtime the source measured; nil when a simulator ran the migration.
    /// - Throws: ``OrchestratorError`` `.resourceUnavailable` with the agent's reason.
    @discardableResult
    public func migrate(
        _ vm: VirtualMachine,
        from source: Host,
        to destination: Host
    ) async throws(OrchestratorError) -> MigrationFigures? {
        guard source.agentAddress != nil || destination.agentAddress != nil else {
            return try await self.simulator.migrate(vm, from: source, to: destination)
        }
        self.addresses.withLock { addresses in
            if let address = source.agentAddress { addresses[source.id] = address }
            if let address = destination.agentAddress { addresses[destination.id] = address }
        }
        let failure = "Unable to migrate VM \(vm.name) from host \(source.name) to host \(destination.name)"
        var migrationURI: String?
        if destination.agentAddress != nil {
            var body = Self.body(destination.id, vm)
            // A real destination builds the same machine as the source runs: the same disks, NICs and config drive.
            if Self.isReal(destination) {
                body.spec = try await VirtualMachineSpecs(store: self.store).spec(for: vm, on: destination)
                body.spec?.hotplug = try await self.hotplugLayout(of: vm)
            }
            do throws(OrchestratorError) {
                migrationURI = try await self.send(.prepareForMigration, body, hostId: destination.id, failure: failure)
                    .migrationURI
            } catch {
                // The answer may be lost while the destination has prepared.
                await self.unprepare(vm, on: destination, failure: failure)
                throw error
            }
        }
        do throws(OrchestratorError) {
            try await self.simulator.perform(AgentCommand.migrate.rawValue)
        } catch {
            await self.unprepare(vm, on: destination, failure: failure)
            throw error
        }
        guard source.agentAddress != nil else { return nil }
        let wait = await self.migrateWait()
        var body = Self.body(source.id, vm)
        body.destinationHostId = destination.id
        body.migrationURI = migrationURI
        body.waitSeconds = wait
        let answer: AgentAnswer
        do throws(OrchestratorError) {
            // The agent cancels at `wait`; the margin leaves it time to say so.
            answer = try await self.send(
                .migrate,
                body,
                hostId: source.id,
                failure: failure,
                timeout: .seconds(wait) + .seconds(60),
                resend: false
            )
        } catch {
            switch await self.whereabouts(of: vm, source: source, destination: destination) {
            case .source:
                await self.unprepare(vm, on: destination, failure: failure)
                throw error
            case .destination:
                // The answer was lost, not the migration.
                return nil
            case .unknown:
                // The destination is left as it is: its QEMU may hold the only running copy.
                throw error
            }
        }
        return answer.migration.map {
            MigrationFigures(
                totalTimeMilliseconds: $0.totalTimeMilliseconds,
                downtimeMilliseconds: $0.downtimeMilliseconds
            )
        }
    }

    /// Where a VM is after a failed `MigrateCommand`.
    private enum Whereabouts {
        /// Still running on the source (or on a simulated host): the destination is to be cleared.
        case source
        /// Gone from a real source while the destination runs it: the answer was lost, the migration done.
        case destination
        /// The source's agent cannot say.
        case unknown
    }

    /// Asks a real source (and then the destination) whether they run the VM.
    private func whereabouts(of vm: VirtualMachine, source: Host, destination: Host) async -> Whereabouts {
        guard Self.isReal(source) else { return .source }
        func runs(on host: Host) async -> Bool? {
            guard let vms = try? await self.vmStates(hostId: host.id) else { return nil }
            return vms.contains { $0.id == vm.id && $0.state == "Running" }
        }
        switch await runs(on: source) {
        case true?: return .source
        case nil: return .unknown
        case false?: return await runs(on: destination) == true ? .destination : .source
        }
    }

    /// Tells the destination to drop a prepared migration: a forced stop of the VM there (an agent that does not
    /// have it answers success).
    private func unprepare(_ vm: VirtualMachine, on destination: Host, failure: String) async {
        guard destination.agentAddress != nil else { return }
        var body = Self.body(destination.id, vm)
        body.forced = true
        _ = try? await self.send(.stop, body, hostId: destination.id, failure: failure)
    }

    /// Records what a live scale plugged into a real VM (its boot size the first time, and a DIMM when memory
    /// grew), which the destination of a later live migration needs to build the same machine.
    func recordHotplug(_ vm: VirtualMachine, memory: Int) async throws(OrchestratorError) {
        var layout =
            try await self.hotplugLayout(of: vm) ?? AgentHotplugLayout(bootCpus: vm.cpuNumber, bootMemory: vm.memory)
        if memory > vm.memory { layout.dimms.append(memory - vm.memory) }
        let text = layout.dimms.reduce("\(layout.bootCpus),\(layout.bootMemory)") { $0 + ",\($1)" }
        do {
            try await self.store.setDetails(of: vm.id, [VirtualMachineService.hotplugLayoutDetail: text])
        } catch {
            throw OrchestratorError(.internalError, "Unable to record the scale of VM \(vm.name): \(error.message)")
        }
    }

    /// What live scaling plugged into a running VM since it booted (the detail `BOOTCPUS,BOOTMIB[,DIMMMIB...]`);
    /// nil when nothing was.
    func hotplugLayout(of vm: VirtualMachine) async throws(OrchestratorError) -> AgentHotplugLayout? {
        let text: String?
        do {
            text = try await self.store.details(of: vm.id)[VirtualMachineService.hotplugLayoutDetail]
        } catch {
            throw OrchestratorError(.internalError, "Unable to read the details of VM \(vm.name): \(error.message)")
        }
        guard let numbers = text?.split(separator: ",").compactMap({ Int($0) }), numbers.count >= 2 else { return nil }
        return AgentHotplugLayout(bootCpus: numbers[0], bootMemory: numbers[1], dimms: Array(numbers.dropFirst(2)))
    }

    /// `migratewait` in seconds (its default, an hour, when the settings cannot be read).
    private func migrateWait() async -> Int {
        let overrides = (try? await self.store.configurationValues()) ?? [:]
        return ConfigurationService.Snapshot(overrides: overrides).int(GlobalSettings.migrateWait) ?? 3600
    }
}
