import CloudModel
import CloudStore
import Foundation
import Orchestrator

/// Volumes as the API sees them (CloudStack's `VolumeApiServiceImpl`): list, create (from a disk offering or a
/// snapshot), attach, detach, resize and delete, with the caller's access and resource limits checked. The disk
/// work itself is the orchestrator's ``VolumeService``.
public struct VolumeOperations: Sendable {
    /// Bytes in a GiB (sizes are asked in GiB).
    public static let gibibyte = 1 << 30

    let services: CloudServices
    var store: CloudStore { self.services.store }
    var disks: VolumeService {
        VolumeService(store: self.services.store, virtualMachines: self.services.virtualMachines)
    }

    /// The filters of listVolumes.
    public struct ListFilters: Sendable {
        /// The VM the volumes are attached to.
        public var virtualMachineId: String?
        /// `ROOT` or `DATADISK` (any case).
        public var type: String?
        /// The zone.
        public var zoneId: String?
        /// The primary storage pool (honoured for the root admin only).
        public var storageId: String?
        /// The disk offering.
        public var diskOfferingId: String?
        /// The state.
        public var state: String?

        /// Creates filters; every one is optional.
        public init(
            virtualMachineId: String? = nil,
            type: String? = nil,
            zoneId: String? = nil,
            storageId: String? = nil,
            diskOfferingId: String? = nil,
            state: String? = nil
        ) {
            self.virtualMachineId = virtualMachineId
            self.type = type
            self.zoneId = zoneId
            self.storageId = storageId
            self.diskOfferingId = diskOfferingId
            self.state = state
        }
    }

    /// The volumes the caller may see (and the request's tags match).
    /// - Throws: 431 for bad paging or scope, 531 out of reach.
    public func list(_ access: Access, _ request: ListRequest, _ filters: ListFilters) async throws -> ListPage<Volume>
    {
        var equals: [(column: String, value: String)] = []
        if let vmId = filters.virtualMachineId { equals.append(("vm_id", vmId)) }
        if let type = filters.type { equals.append(("type", type.uppercased())) }
        if let zoneId = filters.zoneId { equals.append(("zone_id", zoneId)) }
        if let offeringId = filters.diskOfferingId { equals.append(("disk_offering_id", offeringId)) }
        if let state = filters.state { equals.append(("state", state)) }
        if let pool = filters.storageId, access.caller.role == .rootAdmin { equals.append(("pool_id", pool)) }
        var query = try await access.scopedQuery(request, equals)
        query.tags = request.tags
        query.tagResourceType = "Volume"
        return try await self.store.list(Volume.self, query)
    }

    /// What createVolume asks for.
    public struct CreateRequest: Sendable {
        /// Whom the volume is for.
        public var owner: OwnerRequest
        /// Its name; nil for `DATA-` and a random suffix.
        public var name: String?
        /// The disk offering (required unless ``snapshotId`` is given).
        public var diskOfferingId: String?
        /// The size in GiB, for a custom disk offering.
        public var size: Int?
        /// The zone (default: the snapshot's).
        public var zoneId: String?
        /// The snapshot to create the volume from.
        public var snapshotId: String?
        /// A VM to attach the new volume to.
        public var virtualMachineId: String?

        /// Creates a request.
        public init(
            owner: OwnerRequest,
            name: String?,
            diskOfferingId: String?,
            size: Int?,
            zoneId: String?,
            snapshotId: String?,
            virtualMachineId: String?
        ) {
            self.owner = owner
            self.name = name
            self.diskOfferingId = diskOfferingId
            self.size = size
            self.zoneId = zoneId
            self.snapshotId = snapshotId
            self.virtualMachineId = virtualMachineId
        }
    }

    /// Creates a data disk (Allocated, space reserved on a pool of its zone) within the owner's volume and primary
    /// storage limits.
    /// - Returns: the volume, and the VM to attach it to (with ``attach(_:to:deviceId:)``) when one was named.
    /// - Throws: 431 for a missing or bad offering, snapshot, size or zone; 535 over a limit; 533 without room;
    ///   ``Access`` errors.
    public func create(
        _ access: Access,
        _ request: CreateRequest
    ) async throws -> (volume: Volume, attachTo: VirtualMachine?) {
        let owner = try await access.targetAccount(request.owner)
        var zoneId = request.zoneId
        let size: Int
        var offeringId: String? = nil
        if let snapshotId = request.snapshotId {
            let snapshot = try await access.snapshot(id: snapshotId, parameter: "snapshotid")
            guard snapshot.state == "BackedUp" else {
                throw CloudError(
                    .paramError,
                    csErrorCode: 4350,
                    "Snapshot id=\(snapshotId) is not in BackedUp state yet and can't be used for volume creation"
                )
            }
            zoneId = zoneId ?? snapshot.zoneId
            size = snapshot.size
            offeringId = request.diskOfferingId
        } else {
            guard let diskOfferingId = request.diskOfferingId else {
                throw CloudError(
                    .paramError,
                    csErrorCode: 4350,
                    "At least one of disk Offering ID or snapshot ID must be passed whilst creating volume"
                )
            }
            let offering = try await self.diskOffering(access, id: diskOfferingId)
            offeringId = offering.id
            size = try self.size(access, for: offering, requested: request.size)
        }
        guard let zoneId else { throw CloudError.missingParameter(access.command, "zoneid") }
        guard try await self.store.get(Zone.self, id: zoneId) != nil else {
            throw CloudError.invalidParameter(access.command, "zoneid", zoneId)
        }
        var attachTo: VirtualMachine? = nil
        if let vmId = request.virtualMachineId {
            attachTo = try await access.storageVirtualMachine(id: vmId, parameter: "virtualmachineid")
        }
        let disks = self.disks
        let create = VolumeService.CreateRequest(
            accountId: owner.id,
            zoneId: zoneId,
            name: request.name ?? "DATA-\(UUID().uuidString.lowercased().prefix(8))",
            size: size,
            diskOfferingId: offeringId
        )
        let volume = try await StorageLookup.limits(self.services).withReservation(
            for: owner,
            [.volume: 1, .primaryStorage: size]
        ) {
            try await disks.create(create)
        }
        return (volume, attachTo)
    }

    /// The disk offering with this UUID.
    /// - Throws: 431 naming `diskofferingid` when unknown.
    func diskOffering(_ access: Access, id: String) async throws -> DiskOffering {
        guard let offering = try await self.store.get(DiskOffering.self, id: id) else {
            throw access.unknown("diskofferingid", id)
        }
        return offering
    }

    /// The size a disk offering gives (GiB → bytes): its own, or `requested` GiB for a custom offering.
    /// - Throws: 431 with CloudStack's texts when a custom size is missing, refused or out of range.
    public func size(_ access: Access, for offering: DiskOffering, requested: Int?) throws(CloudError) -> Int {
        if offering.diskSize == 0 {
            guard let requested else {
                throw CloudError(
                    .paramError,
                    csErrorCode: 4350,
                    "This disk offering requires a custom size specified"
                )
            }
            return try self.customSize(requested)
        }
        if let requested, requested != offering.diskSize {
            throw CloudError(.paramError, csErrorCode: 4350, "This disk offering does not allow custom size")
        }
        guard let bytes = offering.diskSize.checkedMultiplied(by: Self.gibibyte) else {
            throw CloudError.invalidParameter(access.command, "diskofferingid", offering.id)
        }
        return bytes
    }

    /// A custom size in GiB, within `custom.diskoffering.size.min` and `.max` (CloudStack's
    /// VolumeApiServiceImpl.validateCustomDiskOfferingSizeRange), in bytes.
    /// - Throws: 431 with CloudStack's text when the size is out of range.
    public func customSize(_ gigabytes: Int) throws(CloudError) -> Int {
        let settings = self.services.configuration.cached
        let minimum = settings.int(GlobalSettings.customDiskOfferingMinSize) ?? 1
        let maximum = settings.int(GlobalSettings.customDiskOfferingMaxSize) ?? 1024
        guard gigabytes >= minimum, gigabytes <= maximum, let bytes = gigabytes.checkedMultiplied(by: Self.gibibyte)
        else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Volume size: \(gigabytes)GB is out of allowed range. Max: \(maximum) Min:\(minimum)"
            )
        }
        return bytes
    }
}

extension CloudServices {
    /// Volumes (listVolumes, createVolume, attachVolume, detachVolume, resizeVolume, deleteVolume).
    public var volumeOperations: VolumeOperations { VolumeOperations(services: self) }
}
