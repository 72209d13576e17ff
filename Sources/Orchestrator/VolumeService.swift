import CloudModel
import CloudStore
import Foundation

/// Data disks: creation from a disk offering, attach/detach with device slots, resize and deletion, with the
/// space reserved on (and given back to) a primary storage pool of the zone by compare-and-set.
public struct VolumeService: Sendable {
    let store: CloudStore
    let virtualMachines: VirtualMachineService

    /// Creates the service.
    /// - Parameters:
    ///   - store: the store.
    ///   - virtualMachines: the VM service (settings, storage reservations).
    public init(store: CloudStore, virtualMachines: VirtualMachineService) {
        self.store = store
        self.virtualMachines = virtualMachines
    }

    /// What a new data disk is.
    public struct CreateRequest: Sendable {
        /// Owner.
        public var accountId: String
        /// Zone.
        public var zoneId: String
        /// Name.
        public var name: String
        /// Bytes.
        public var size: Int
        /// The offering.
        public var diskOfferingId: String?

        /// Creates a request.
        public init(accountId: String, zoneId: String, name: String, size: Int, diskOfferingId: String?) {
            self.accountId = accountId
            self.zoneId = zoneId
            self.name = name
            self.size = size
            self.diskOfferingId = diskOfferingId
        }
    }

    /// Creates a data disk, Allocated and detached, its size reserved on a pool of its zone.
    /// - Parameter request: what to create.
    /// - Returns: the volume.
    /// - Throws: ``OrchestratorError`` (533 when no pool has room).
    public func create(_ request: CreateRequest) async throws(OrchestratorError) -> Volume {
        try await self.run {
            guard
                let poolId = try await self.virtualMachines.reservePrimaryStorage(
                    zoneId: request.zoneId,
                    size: request.size
                )
            else {
                throw OrchestratorError(
                    .insufficientCapacity,
                    "Unable to find suitable primary storage with \(request.size) bytes free in the zone for volume \(request.name)"
                )
            }
            let volume = Volume(
                id: UUID().uuidString.lowercased(),
                name: request.name,
                vmId: nil,
                zoneId: request.zoneId,
                type: "DATADISK",
                size: request.size,
                state: VolumeState.allocated.rawValue,
                created: store.clock.now,
                accountId: request.accountId,
                diskOfferingId: request.diskOfferingId,
                poolId: poolId,
                path: UUID().uuidString.lowercased()
            )
            do {
                try await self.store.insert(volume)
            } catch {
                try? await self.store.releasePrimaryStorage(poolId: poolId, size: request.size)
                throw error
            }
            return volume
        }
    }

    /// Attaches a data disk to a VM (CloudStack's `attachVolumeToVM` checks and texts).
    /// - Parameters:
    ///   - volume: the volume.
    ///   - vm: the VM.
    ///   - deviceId: the requested slot, or nil for the lowest free one.
    /// - Returns: the attached volume.
    /// - Throws: ``OrchestratorError`` (431 for every refused combination).
    public func attach(
        _ volume: Volume,
        to vm: VirtualMachine,
        deviceId: Int?
    ) async throws(OrchestratorError)
        -> Volume
    {
        // The VM as it is now: the job may run a while after the command was accepted.
        let vm = try await self.virtualMachines.load(vm.id)
        guard volume.type == "DATADISK" else {
            throw OrchestratorError(.invalidParameter, "Please specify a volume with the valid type: DATADISK")
        }
        guard volume.vmId == nil else {
            throw OrchestratorError(.invalidParameter, "Please specify a volume that is not attached to any VM.")
        }
        guard volume.lifecycleState?.isAttachable == true else {
            throw OrchestratorError(.invalidParameter, "Volume state must be in Allocated, Ready or in Uploaded state")
        }
        guard vm.state == .running || vm.state == .stopped else {
            throw OrchestratorError(.invalidParameter, "Please specify a VM that is either running or stopped.")
        }
        let attached = try await self.run { try await self.store.volumes(of: vm.id) }
        let dataDisks = attached.filter { $0.type == "DATADISK" }
        guard dataDisks.count < VolumeDevices.maxDataDisks else {
            throw OrchestratorError(
                .invalidParameter,
                "The specified VM already has the maximum number of data disks (\(VolumeDevices.maxDataDisks)) attached. Please specify another VM."
            )
        }
        guard vm.zoneId == volume.zoneId else {
            throw OrchestratorError(.invalidParameter, "Please specify a VM that is in the same zone as the volume.")
        }
        let used = Set(attached.compactMap(\.deviceId))
        let slot: Int
        if let deviceId {
            guard VolumeDevices.isDataSlot(deviceId) else {
                throw OrchestratorError(
                    .invalidParameter,
                    "deviceId should be 1,2,4-\(VolumeDevices.dataSlots.last ?? VolumeDevices.maxDataDisks + 1)"
                )
            }
            guard !used.contains(deviceId) else {
                throw OrchestratorError(.invalidParameter, "deviceId \(deviceId) is used by vm \(vm.name)")
            }
            slot = deviceId
        } else {
            guard let free = VolumeDevices.nextFree(used) else {
                throw OrchestratorError(.invalidParameter, "No free device slot on VM \(vm.name)")
            }
            slot = free
        }
        // A running VM's host plugs the disk first: a refusal leaves the database as it was.
        try await self.virtualMachines.driver.attachVolume(volume, deviceId: slot, to: vm)
        let won: Bool
        do {
            won = try await self.store.attachVolume(id: volume.id, vmId: vm.id, deviceId: slot, poolId: volume.poolId)
        } catch {
            try? await self.virtualMachines.driver.detachVolume(volume, from: vm)
            if error.kind == .duplicate {
                throw OrchestratorError(.invalidParameter, "deviceId \(slot) is used by vm \(vm.name)")
            }
            throw OrchestratorError(.internalError, "Internal error executing command")
        }
        guard won else {
            try? await self.virtualMachines.driver.detachVolume(volume, from: vm)
            throw OrchestratorError(.invalidParameter, "Please specify a volume that is not attached to any VM.")
        }
        return try await self.load(volume.id)
    }

    /// Detaches a data disk from its VM.
    /// - Parameter volume: the volume.
    /// - Returns: the detached volume.
    /// - Throws: ``OrchestratorError``.
    public func detach(_ volume: Volume) async throws(OrchestratorError) -> Volume {
        guard let vmId = volume.vmId else {
            throw OrchestratorError(.invalidParameter, "The specified volume is not attached to a VM.")
        }
        let vm = try await self.virtualMachines.load(vmId)
        guard vm.state == .running || vm.state == .stopped || vm.state == .destroyed else {
            throw OrchestratorError(.invalidParameter, "Please specify a VM that is either running or stopped.")
        }
        guard volume.type == "DATADISK" else {
            // CloudStack detaches a stopped Simulator VM's root disk; ZooStack keeps every VM bootable.
            throw OrchestratorError(
                .invalidParameter,
                "Root volume detach is not supported for hypervisor type Simulator"
            )
        }
        try await self.virtualMachines.driver.detachVolume(volume, from: vm)
        guard try await self.run({ try await self.store.detachVolume(id: volume.id, from: vmId) }) else {
            throw OrchestratorError(.invalidParameter, "The specified volume is not attached to a VM.")
        }
        return try await self.load(volume.id)
    }

    /// Resizes a volume: a larger size reserves the difference on its pool, a smaller one needs `shrinkOk`.
    /// - Parameters:
    ///   - volume: the volume.
    ///   - size: the new size in bytes.
    ///   - diskOfferingId: its new offering, or nil.
    ///   - shrinkOk: whether shrinking is allowed.
    /// - Returns: the resized volume.
    /// - Throws: ``OrchestratorError``.
    public func resize(
        _ volume: Volume,
        to size: Int,
        diskOfferingId: String?,
        shrinkOk: Bool
    )
        async throws(OrchestratorError) -> Volume
    {
        guard volume.lifecycleState?.isResizable == true else {
            throw OrchestratorError(
                .invalidParameter,
                "Volume should be in ready or allocated state before attempting a resize. Volume \(volume.name) is in state \(volume.state)."
            )
        }
        if size < volume.size && !shrinkOk {
            throw OrchestratorError(
                .invalidParameter,
                "Going from existing size of \(volume.size) to size of \(size) would shrink the volume.Need to sign off by supplying the shrinkok parameter with value of true."
            )
        }
        let delta = size.saturatingSubtracting(volume.size)
        if let poolId = volume.poolId, delta != 0 {
            let factor = self.virtualMachines.storageFactor
            guard
                try await self.run({
                    try await self.store.adjustPrimaryStorage(poolId: poolId, delta: delta, factor: factor)
                })
            else {
                throw OrchestratorError(
                    .insufficientCapacity,
                    "Unable to resize volume \(volume.name): its primary storage pool lacks \(delta) bytes"
                )
            }
        }
        if size > volume.size, let vmId = volume.vmId {
            do {
                // A running VM's host grows the file live; a stopped VM's grows at its next start.
                try await self.virtualMachines.driver.resizeVolume(
                    volume,
                    to: size,
                    of: self.virtualMachines.load(vmId)
                )
            } catch {
                if let poolId = volume.poolId, delta != 0 {
                    let factor = self.virtualMachines.storageFactor
                    _ = try? await self.store.adjustPrimaryStorage(poolId: poolId, delta: -delta, factor: factor)
                }
                throw error
            }
        }
        try await self.run {
            try await self.store.setVolumeSize(id: volume.id, size: size, diskOfferingId: diskOfferingId)
        }
        return try await self.load(volume.id)
    }

    /// Inserts an ISO into a running VM's CD-ROM (nil: ejects it) on its host; a stopped VM gets it at its next
    /// start.
    /// - Parameters:
    ///   - vmId: the VM.
    ///   - isoId: the ISO, or nil.
    /// - Throws: ``OrchestratorError`` when the host refuses.
    public func changeISO(of vmId: String, to isoId: String?) async throws(OrchestratorError) {
        let vm = try await self.virtualMachines.load(vmId)
        try await self.virtualMachines.driver.changeISO(of: vm, to: isoId)
    }

    /// Deletes a detached volume, giving its space back.
    /// - Parameter volume: the volume.
    /// - Throws: ``OrchestratorError`` (431 while attached).
    public func delete(_ volume: Volume) async throws(OrchestratorError) {
        guard volume.vmId == nil else {
            throw OrchestratorError(.invalidParameter, "Please specify a volume that is not attached to any VM.")
        }
        guard try await self.run({ try await self.store.deleteVolume(volume) }) else {
            throw OrchestratorError(.invalidParameter, "Please specify a volume that is not attached to any VM.")
        }
    }

    /// Loads a volume or fails with 431.
    /// - Parameter id: the volume.
    /// - Returns: the volume.
    /// - Throws: ``OrchestratorError``.
    public func load(_ id: String) async throws(OrchestratorError) -> Volume {
        guard let volume = try await self.run({ try await self.store.get(Volume.self, id: id) }) else {
            throw OrchestratorError(.invalidParameter, "Unable to find volume with ID: \(id)")
        }
        return volume
    }

    func run<T>(_ body: () async throws -> T) async throws(OrchestratorError) -> T {
        try await self.virtualMachines.run(body)
    }
}
