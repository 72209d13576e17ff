import CloudModel
import CloudStore
import Foundation
import Logging

/// The VM lifecycle: each step is a state-machine event persisted with a compare-and-set, capacity reserved
/// with the host CAS, and the hypervisor driver called in between.
public struct VirtualMachineService: Sendable {
    let store: CloudStore
    let driver: any HypervisorDriver
    let logger: Logger
    /// The global settings the planner reads on every decision.
    public let configuration: ConfigurationService
    /// The zones' hosts in memory, for the planner.
    public let inventory: HostInventory

    /// Creates the service.
    /// - Parameters:
    ///   - store: the store.
    ///   - driver: the hypervisor driver.
    ///   - logger: a logger.
    ///   - configuration: the settings service (a new one over `store` when nil).
    public init(
        store: CloudStore,
        driver: any HypervisorDriver,
        logger: Logger,
        configuration: ConfigurationService? = nil
    ) {
        self.store = store
        self.driver = driver
        self.logger = logger
        self.configuration = configuration ?? ConfigurationService(store: store)
        self.inventory = HostInventory(store: store)
    }

    /// What to deploy.
    public struct DeployRequest: Sendable {
        /// Owner account UUID.
        public var accountId: String
        /// Zone.
        public var zone: Zone
        /// Template.
        public var template: Template
        /// Offering.
        public var offering: ServiceOffering
        /// Instance name; generated when nil.
        public var name: String?
        /// Display name.
        public var displayName: String?
        /// The guest networks for the VM's NICs, the first one default; empty for the zone's default network.
        public var networks: [Network] = []
        /// The root disk's size in bytes (nil: the template's size).
        public var rootDiskSize: Int?
        /// The disk offering of the root disk (an ISO deployment's blank disk), if any.
        public var rootDiskOfferingId: String?

        /// Creates a request.
        public init(
            accountId: String,
            zone: Zone,
            template: Template,
            offering: ServiceOffering,
            name: String?,
            displayName: String?
        ) {
            self.accountId = accountId
            self.zone = zone
            self.template = template
            self.offering = offering
            self.name = name
            self.displayName = displayName
        }
    }

    /// Creates the VM row (Stopped), its root volume (its size reserved on a primary storage pool of the zone) and
    /// its NIC on the zone's default network.
    /// - Parameter request: what to deploy.
    /// - Returns: the new VM.
    /// - Throws: ``OrchestratorError``.
    public func allocate(_ request: DeployRequest) async throws(OrchestratorError) -> VirtualMachine {
        let id = UUID().uuidString.lowercased()
        let name = request.name ?? "VM-\(id)"
        let rootSize = request.rootDiskSize ?? request.template.size
        let vm = VirtualMachine(
            id: id,
            name: name,
            displayName: request.displayName ?? name,
            accountId: request.accountId,
            zoneId: request.zone.id,
            hostId: nil,
            templateId: request.template.id,
            serviceOfferingId: request.offering.id,
            state: .stopped,
            cpuNumber: request.offering.cpuNumber,
            cpuSpeed: request.offering.cpuSpeed,
            memory: request.offering.memory,
            created: store.clock.now
        )
        try await self.run {
            var networks = request.networks
            if networks.isEmpty {
                guard let network = try await self.store.defaultNetwork(zoneId: vm.zoneId) else {
                    throw OrchestratorError(.resourceUnavailable, "zone \(request.zone.name) has no guest network")
                }
                networks = [network]
            }
            guard let poolId = try await self.reservePrimaryStorage(zoneId: vm.zoneId, size: rootSize)
            else {
                throw OrchestratorError(
                    .insufficientCapacity,
                    "Unable to create a deployment for VM \(name): no primary storage pool in zone \(request.zone.name) has \(rootSize) bytes free"
                )
            }
            do {
                try await self.store.insert(vm)
            } catch {
                try? await self.store.releasePrimaryStorage(poolId: poolId, size: rootSize)
                throw error
            }
            let volume = Volume(
                id: UUID().uuidString.lowercased(),
                name: "ROOT-\(name)",
                vmId: id,
                zoneId: vm.zoneId,
                type: "ROOT",
                size: rootSize,
                state: VolumeState.ready.rawValue,
                created: store.clock.now,
                accountId: request.accountId,
                diskOfferingId: request.rootDiskOfferingId,
                poolId: poolId,
                deviceId: 0,
                path: UUID().uuidString.lowercased()
            )
            try await self.store.insert(volume)
            for (index, network) in networks.enumerated() {
                _ = try await self.store.allocateNic(
                    vmId: id,
                    network: network,
                    isDefault: index == 0,
                    nicId: UUID().uuidString.lowercased(),
                    macAddress: Self.macAddress()
                )
            }
        }
        return vm
    }

    /// Starts a VM: Stopped → Starting, reserve capacity on the planner's best host (or an admin's explicit host),
    /// boot, → Running. A lost capacity compare-and-set moves on to the planner's next choice.
    /// - Parameters:
    ///   - id: the VM.
    ///   - onFailure: the state a failed start leaves (Stopped for start, Error for a first deploy).
    ///   - hostId: an admin's explicit host (`hostid`), or nil to let the planner choose.
    /// - Returns: the running VM.
    /// - Throws: ``OrchestratorError`` (533 when no host has capacity).
    public func start(
        id: String,
        onFailure: VirtualMachineEvent = .operationFailed,
        hostId explicitHostId: String? = nil
    ) async throws(OrchestratorError)
        -> VirtualMachine
    {
        let starting = try await self.transition(id: id, .startRequested, hostId: nil)
        let host: CloudModel.Host
        var vm: VirtualMachine
        do throws(OrchestratorError) {
            (host, vm) = try await self.reserveAndAssign(
                starting,
                on: try await self.placementCandidates(
                    for: starting,
                    excluding: [],
                    explicitHostId: explicitHostId,
                    limit: Self.candidateLimit
                )
            )
        } catch {
            _ = try? await self.transition(starting, onFailure, hostId: nil)
            throw error
        }
        do throws(OrchestratorError) {
            try await self.driver.start(vm, on: host)
        } catch {
            try? await self.store.releaseCapacity(hostId: host.id, cpu: vm.cpuDemand, memory: vm.memoryDemand)
            _ = try? await self.transition(vm, onFailure, hostId: nil)
            throw error
        }
        return try await self.transition(vm, .operationSucceeded, hostId: host.id)
    }

    /// Stops a VM: Running → Stopping → Stopped, releasing its capacity.
    /// - Parameters:
    ///   - id: the VM.
    ///   - forced: power off without a clean shutdown; a forced stop never fails on the agent.
    /// - Returns: the stopped VM.
    /// - Throws: ``OrchestratorError``.
    public func stop(id: String, forced: Bool) async throws(OrchestratorError) -> VirtualMachine {
        let vm = try await self.transition(id: id, .stopRequested, keepHost: true)
        do throws(OrchestratorError) {
            try await self.driver.stop(vm, forced: forced)
        } catch  where !forced {
            _ = try? await self.transition(vm, .operationFailed, hostId: vm.hostId)
            throw error
        } catch {
            self.logger.info("forced stop ignores agent failure", metadata: ["vm": "\(vm.id)"])
        }
        guard vm.hostId != nil else { return try await self.transition(vm, .operationSucceeded, hostId: nil) }
        // Stopped and released together (one statement on PostgreSQL): no window where a dead server leaves one
        // without the other.
        let won = try await self.run { try await self.store.stopVirtualMachine(vm) }
        guard won else {
            throw OrchestratorError(.internalError, "VM \(vm.name) changed state concurrently; retry")
        }
        var stopped = vm
        stopped.state = .stopped
        stopped.hostId = nil
        stopped.updateCount += 1
        return stopped
    }

    /// Reboots a running VM.
    /// - Parameter id: the VM.
    /// - Returns: the VM.
    /// - Throws: ``OrchestratorError``.
    public func reboot(id: String) async throws(OrchestratorError) -> VirtualMachine {
        let vm = try await self.load(id)
        guard vm.state == .running else {
            throw OrchestratorError(.invalidParameter, "VM \(vm.name) is not in Running state (\(vm.state.rawValue))")
        }
        try await self.driver.reboot(vm)
        return vm
    }

    /// Destroys a VM (stopping it first), optionally expunging it.
    /// - Parameters:
    ///   - id: the VM.
    ///   - expunge: expunge at once.
    /// - Returns: the destroyed VM (state Destroyed, or Expunging when expunged).
    /// - Throws: ``OrchestratorError``.
    public func destroy(id: String, expunge: Bool) async throws(OrchestratorError) -> VirtualMachine {
        var vm = try await self.load(id)
        if vm.state == .running { vm = try await self.stop(id: id, forced: true) }
        vm = try await self.transition(vm, .destroyRequested, hostId: nil)
        if expunge { vm = try await self.expunge(id: id) }
        return vm
    }

    /// Recovers a destroyed VM: Destroyed → Stopped.
    /// - Parameter id: the VM.
    /// - Returns: the VM.
    /// - Throws: ``OrchestratorError``.
    public func recover(id: String) async throws(OrchestratorError) -> VirtualMachine {
        try await self.transition(id: id, .recoveryRequested, hostId: nil)
    }

    /// Expunges a destroyed (or errored) VM: → Expunging, then the rows go, freeing its addresses.
    /// - Parameter id: the VM.
    /// - Returns: the VM as it was when expunging began.
    /// - Throws: ``OrchestratorError``.
    public func expunge(id: String) async throws(OrchestratorError) -> VirtualMachine {
        let vm = try await self.transition(id: id, .expungeOperation, hostId: nil)
        // The root disk goes with the VM; data disks outlive it, detached (as the store's delete does).
        let volumes = try await self.run { try await self.store.volumes(of: id) }.filter { $0.type == "ROOT" }
        do throws(OrchestratorError) {
            try await self.driver.deleteVolumes(volumes, of: vm)
        } catch {
            // As CloudStack's storage cleanup: the rows go; a file left behind is logged for the operator.
            self.logger.warning(
                "cannot delete an expunged VM's disks",
                metadata: ["vm": "\(vm.id)", "error": "\(error.message)"]
            )
        }
        try await self.run { try await self.store.deleteVirtualMachine(id: id) }
        return vm
    }

    /// Loads a VM or fails with 431.
    /// - Parameter id: the VM.
    /// - Returns: the VM.
    /// - Throws: ``OrchestratorError``.
    public func load(_ id: String) async throws(OrchestratorError) -> VirtualMachine {
        guard let vm = try await self.run({ try await self.store.get(VirtualMachine.self, id: id) }) else {
            throw OrchestratorError(.invalidParameter, "Unable to find virtual machine with specified id \(id)")
        }
        return vm
    }

    /// Reserves bytes on a primary storage pool of a zone (`storage.overprovisioning.factor` applies).
    /// - Parameters:
    ///   - zoneId: the zone.
    ///   - size: bytes.
    /// - Returns: the pool, or nil when none has room.
    /// - Throws: ``StoreError``.
    public func reservePrimaryStorage(zoneId: String, size: Int) async throws(StoreError) -> String? {
        try await self.store.reservePrimaryStorage(zoneId: zoneId, size: size, factor: self.storageFactor)
    }

    /// `storage.overprovisioning.factor`, from the cached settings.
    public var storageFactor: Double {
        self.configuration.cached.double(GlobalSettings.Name.storageOverprovisioningFactor) ?? 2
    }

    static func macAddress() -> String {
        let bytes = (0..<3).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }
        return "02:00:00:" + bytes.joined(separator: ":")
    }
}
