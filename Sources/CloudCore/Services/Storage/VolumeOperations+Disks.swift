import CloudModel
import CloudStore
import Orchestrator

/// Attaching, detaching, resizing and deleting volumes, and what rendering a page of them needs.
extension VolumeOperations {
    /// The volume and VM of attachVolume, checked: both in the caller's reach and of the same account.
    /// - Throws: 431 when unknown, 531 out of reach or across accounts.
    public func prepareAttach(
        _ access: Access,
        id: String,
        virtualMachineId: String
    ) async throws -> (volume: Volume, vm: VirtualMachine) {
        let volume = try await access.volume(id: id)
        let vm = try await access.storageVirtualMachine(id: virtualMachineId, parameter: "virtualmachineid")
        if volume.accountId != nil && volume.accountId != vm.accountId {
            throw Access.permissionDenied("Entity \(volume.id) and entity \(vm.id) belong to different accounts")
        }
        return (volume, vm)
    }

    /// Attaches a data disk to a VM (the VM as it is when this runs).
    /// - Parameter deviceId: the requested slot, nil for the lowest free one.
    /// - Returns: the attached volume.
    /// - Throws: ``OrchestratorError`` (431 for every refused combination).
    public func attach(_ volume: Volume, to vm: VirtualMachine, deviceId: Int?) async throws -> Volume {
        try await self.disks.attach(volume, to: vm, deviceId: deviceId)
    }

    /// The volume detachVolume names: by `id`, or by the VM's `virtualmachineid` and `deviceid` (not both).
    /// - Throws: 431 when neither or both ways are given or no volume sits in that slot; ``Access`` errors.
    public func prepareDetach(
        _ access: Access,
        id: String?,
        virtualMachineId: String?,
        deviceId: String?
    ) async throws -> Volume {
        let byId = id != nil
        let byDevice = virtualMachineId != nil && deviceId != nil
        guard byId != (virtualMachineId != nil || deviceId != nil), byId || byDevice else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Please provide either a volume id, or a tuple(device id, instance id)"
            )
        }
        if let id { return try await access.volume(id: id) }
        guard let virtualMachineId, let deviceId else {
            throw CloudError.missingParameter(access.command, "deviceid")
        }
        let vm = try await access.storageVirtualMachine(id: virtualMachineId, parameter: "virtualmachineid")
        guard
            let found = try await self.store.volumes(of: vm.id).first(where: {
                $0.deviceId.map(String.init) == deviceId
            })
        else {
            throw CloudError(.paramError, csErrorCode: 4350, "Unable to find volume with ID: null")
        }
        return found
    }

    /// Detaches a data disk from its VM.
    /// - Returns: the detached volume.
    /// - Throws: ``OrchestratorError``.
    public func detach(_ volume: Volume) async throws -> Volume {
        try await self.disks.detach(volume)
    }

    /// A checked resize, to run with ``resize(_:)``.
    public struct Resize: Sendable {
        /// The volume as it was checked.
        public var volume: Volume
        /// The new size in bytes.
        public var size: Int
        /// The new disk offering, if any.
        public var diskOfferingId: String?
        /// Whether shrinking is allowed.
        public var shrinkOk: Bool
        /// The volume's owner, whose primary storage limit a growth counts against.
        public var owner: Account?
    }

    /// Checks resizeVolume: the volume, and its new size from a disk offering or `size` GiB.
    /// - Throws: 431 for a missing, bad or out-of-range size or an unknown offering; ``Access`` errors.
    public func prepareResize(
        _ access: Access,
        id: String,
        diskOfferingId: String?,
        size gigabytes: Int?,
        shrinkOk: Bool
    ) async throws -> Resize {
        let volume = try await access.volume(id: id)
        let size: Int
        var offeringId: String? = nil
        if let diskOfferingId {
            let offering = try await self.diskOffering(access, id: diskOfferingId)
            offeringId = offering.id
            size = try self.size(access, for: offering, requested: gigabytes)
        } else {
            guard let gigabytes else { throw CloudError.missingParameter(access.command, "size") }
            guard gigabytes > 0 else { throw CloudError.invalidParameter(access.command, "size", String(gigabytes)) }
            size = try self.customSize(gigabytes)
        }
        var owner: Account?
        if let accountId = volume.accountId { owner = try await self.store.get(Account.self, id: accountId) }
        return Resize(volume: volume, size: size, diskOfferingId: offeringId, shrinkOk: shrinkOk, owner: owner)
    }

    /// Resizes a volume; growing it counts the added bytes against the owner's primary storage limit.
    /// - Returns: the resized volume.
    /// - Throws: 535 over the limit; ``OrchestratorError``.
    public func resize(_ resize: Resize) async throws -> Volume {
        let disks = self.disks
        let volume = resize.volume
        let apply = {
            try await disks.resize(
                volume,
                to: resize.size,
                diskOfferingId: resize.diskOfferingId,
                shrinkOk: resize.shrinkOk
            )
        }
        guard let owner = resize.owner, resize.size > volume.size else { return try await apply() }
        return try await StorageLookup.limits(self.services).withReservation(
            for: owner,
            [.primaryStorage: resize.size.saturatingSubtracting(volume.size)],
            apply
        )
    }

    /// Resizes a volume to `size` bytes, shrinking allowed and no limit counted (revertSnapshot).
    /// - Throws: ``OrchestratorError``.
    func resize(_ volume: Volume, to size: Int) async throws -> Volume {
        try await self.disks.resize(volume, to: size, diskOfferingId: nil, shrinkOk: true)
    }

    /// Deletes a detached volume of the caller's reach.
    /// - Throws: 431 when unknown or attached; ``Access`` errors.
    public func delete(_ access: Access, id: String) async throws {
        let volume = try await access.volume(id: id)
        try await self.disks.delete(volume)
    }

    /// What a page of volumes is rendered with.
    public struct Relations: Sendable {
        /// The VMs they are attached to, by UUID.
        public var virtualMachines: [String: VirtualMachine]
        /// Their zones, by UUID.
        public var zones: [String: Zone]
        /// Their owners.
        public var owners: Owners
        /// Their disk offerings, by UUID.
        public var diskOfferings: [String: DiskOffering]
        /// The service offerings of the VMs of ROOT volumes, by UUID.
        public var serviceOfferings: [String: ServiceOffering]
        /// Their primary storage pools, by UUID.
        public var pools: [String: StoragePool]
        /// Their tags, by volume UUID.
        public var tags: [String: [ResourceTag]]
        /// The measured sizes of real volumes, by volume UUID.
        public var stats: [String: VolumeStats] = [:]
        /// The hypervisor of each volume (``VolumeOperations/hypervisor(of:vmHost:pool:)``), by volume UUID.
        public var hypervisors: [String: String] = [:]
    }

    /// The hypervisor a volume belongs to, as CloudStack's volume view reports it: that of the host running the VM
    /// it is attached to (`vm_instance.hypervisor_type`), else that of its pool (``poolHypervisors(_:store:)``);
    /// `None` for a volume on neither (CloudStack's answer for an Allocated volume with no format yet).
    /// - Parameters:
    ///   - volume: the volume.
    ///   - vmHost: the hypervisor of the host of the VM it is attached to, if that VM is placed.
    ///   - pool: the hypervisor of its primary storage pool, if known.
    /// - Returns: `KVM`, `Simulator`, or `None`.
    public static func hypervisor(of volume: Volume, vmHost: String?, pool: String?) -> String {
        if let vmHost { return vmHost }
        if volume.vmId == nil, volume.state == VolumeState.allocated.rawValue { return "None" }
        return pool ?? "None"
    }

    /// The hypervisor of each pool, by pool UUID: the one its cluster's hosts run when they all run one (a real
    /// host's `KVM` in a cluster seeded for the simulator), else its cluster's.
    static func poolHypervisors(_ pools: [StoragePool], store: CloudStore) async throws -> [String: String] {
        let clusterIds = Array(Set(pools.map(\.clusterId)))
        guard !clusterIds.isEmpty else { return [:] }
        let clusters = try await StorageLookup.rows(store, Cluster.self, clusterIds, \.id)
        var query = ListQuery(idIn: clusterIds)
        query.inColumn = "cluster_id"
        let hosts = Dictionary(grouping: try await store.list(Host.self, query).items, by: \.clusterId)
        var result: [String: String] = [:]
        for pool in pools {
            let running = Set((hosts[pool.clusterId] ?? []).map(\.hypervisor))
            result[pool.id] = running.count == 1 ? running.first : clusters[pool.clusterId]?.hypervisor
        }
        return result
    }

    /// Loads what rendering `volumes` needs: one query per related table.
    /// - Throws: ``StoreError``.
    public func relations(of volumes: [Volume]) async throws -> Relations {
        let store = self.store
        let vms = try await StorageLookup.rows(store, VirtualMachine.self, volumes.map(\.vmId), \.id)
        let pools = try await StorageLookup.rows(store, StoragePool.self, volumes.map(\.poolId), \.id)
        let hosts = try await StorageLookup.rows(store, Host.self, vms.values.map(\.hostId), \.id)
        let poolHypervisors = try await Self.poolHypervisors(Array(pools.values), store: store)
        var hypervisors: [String: String] = [:]
        for volume in volumes {
            let vmHost = volume.vmId.flatMap { vms[$0]?.hostId }.flatMap { hosts[$0]?.hypervisor }
            let pool = volume.poolId.flatMap { poolHypervisors[$0] }
            hypervisors[volume.id] = Self.hypervisor(of: volume, vmHost: vmHost, pool: pool)
        }
        return Relations(
            virtualMachines: vms,
            zones: try await StorageLookup.rows(store, Zone.self, volumes.map(\.zoneId), \.id),
            owners: try await self.services.owners(of: volumes.map(\.accountId)),
            diskOfferings: try await StorageLookup.rows(store, DiskOffering.self, volumes.map(\.diskOfferingId), \.id),
            serviceOfferings: try await StorageLookup.rows(
                store,
                ServiceOffering.self,
                volumes.filter { $0.type == "ROOT" }.map { $0.vmId.flatMap { vms[$0]?.serviceOfferingId } },
                \.id
            ),
            pools: pools,
            tags: try await store.tags(of: volumes.map(\.id), resourceType: "Volume"),
            stats: try await StorageLookup.rows(store, VolumeStats.self, volumes.map(\.id), \.id),
            hypervisors: hypervisors
        )
    }
}
