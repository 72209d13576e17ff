import CloudCore
import CloudModel
import CloudStore
import Foundation
import Orchestrator

/// Volumes: listVolumes, createVolume, attachVolume, detachVolume, resizeVolume and deleteVolume.
enum VolumeCommands {
    static var all: [CommandDescriptor] {
        [listVolumes, createVolume, attachVolume, detachVolume, resizeVolume, deleteVolume]
    }

    static let gibibyte = 1 << 30

    /// Loads the volume named by `parameter`, refusing other accounts' volumes (531) as CloudStack's checkAccess.
    static func accessibleVolume(_ context: CommandContext, _ parameter: String = "id") async throws -> Volume {
        let volume = try await context.entity(Volume.self, parameter)
        guard try await context.mayAccess(accountId: volume.accountId ?? "") else {
            throw CommandContext.permissionDenied(
                "Account \(context.caller.account.name) does not have permission to operate on volume \(volume.id)"
            )
        }
        return volume
    }

    /// Loads the VM named by `parameter`, refusing other accounts' VMs (531).
    static func accessibleVirtualMachine(
        _ context: CommandContext,
        _ parameter: String
    ) async throws
        -> VirtualMachine
    {
        let vm = try await context.entity(VirtualMachine.self, parameter)
        guard vm.state != .expunging, try await context.mayAccess(accountId: vm.accountId) else {
            if vm.state == .expunging { throw CloudError.invalidParameter(context.command, parameter, vm.id) }
            throw CommandContext.permissionDenied(
                "Account \(context.caller.account.name) does not have permission to operate on vm \(vm.id)"
            )
        }
        return vm
    }

    static let listVolumes = CommandDescriptor(
        "listVolumes",
        "Lists all volumes.",
        parameters: ListParameters.all + ListParameters.scope + [
            ParameterDescriptor("virtualmachineid", .uuid, "the ID of the virtual machine"),
            ParameterDescriptor("type", .string, "the type of disk volume"),
            ParameterDescriptor("zoneid", .uuid, "the ID of the availability zone"),
            ParameterDescriptor("storageid", .uuid, "the ID of the storage pool, available to ROOT admin only"),
            ParameterDescriptor("diskofferingid", .uuid, "list volumes by disk offering"),
            ParameterDescriptor("state", .string, "state of the volume"),
            ParameterDescriptor("tags", .map, "List resources by tags (key/value pairs)"),
        ]
    ) { context in
        var filters: [(column: String, value: String)] = []
        for (parameter, column) in [
            ("virtualmachineid", "vm_id"), ("type", "type"), ("zoneid", "zone_id"),
            ("diskofferingid", "disk_offering_id"), ("state", "state"),
        ] {
            if let value = context.string(parameter) {
                filters.append((column, parameter == "type" ? value.uppercased() : value))
            }
        }
        if let pool = context.string("storageid"), context.caller.role == .rootAdmin {
            filters.append(("pool_id", pool))
        }
        var query = try await context.scopedListQuery(filters)
        query.tags = context.tagPairs
        query.tagResourceType = "Volume"
        let page = try await context.server.store.list(Volume.self, query)
        return .list(item: "volume", total: page.total, items: try await VolumeResponses.render(page.items, context))
    }

    static let createVolume = CommandDescriptor(
        "createVolume",
        "Creates a disk volume from a disk offering. This disk volume must still be attached to a virtual machine to make use of it.",
        isAsync: true,
        events: .records(CommandEvent(.volumeCreate, "creating volume", .volume)),
        parameters: [
            ParameterDescriptor("name", .string, "the name of the disk volume"),
            ParameterDescriptor("diskofferingid", .uuid, "the ID of the disk offering"),
            ParameterDescriptor("size", .long, "Arbitrary volume size (GB), for a custom disk offering"),
            ParameterDescriptor("zoneid", .uuid, "the ID of the availability zone"),
            ParameterDescriptor("snapshotid", .uuid, "the snapshot ID for the disk volume"),
            ParameterDescriptor("virtualmachineid", .uuid, "the ID of the virtual machine to attach the volume to"),
            ParameterDescriptor("account", .string, "the account associated with the disk volume"),
            ParameterDescriptor("domainid", .uuid, "the domain ID associated with the disk offering"),
            ParameterDescriptor("projectid", .uuid, "the project associated with the volume"),
            ParameterDescriptor("displayvolume", .boolean, "an optional field, whether to display the volume"),
        ]
    ) { context in
        let owner = try await context.targetAccount()
        let store = context.server.store
        var zoneId = context.string("zoneid")
        var size: Int
        var offeringId: String? = nil
        if let snapshotId = context.string("snapshotid") {
            let snapshot = try await SnapshotCommands.accessibleSnapshot(context, "snapshotid")
            guard snapshot.state == "BackedUp" else {
                throw CloudError(
                    .paramError,
                    csErrorCode: 4350,
                    "Snapshot id=\(snapshotId) is not in BackedUp state yet and can't be used for volume creation"
                )
            }
            zoneId = zoneId ?? snapshot.zoneId
            size = snapshot.size
            offeringId = context.string("diskofferingid")
        } else {
            guard context.string("diskofferingid") != nil else {
                throw CloudError(
                    .paramError,
                    csErrorCode: 4350,
                    "At least one of disk Offering ID or snapshot ID must be passed whilst creating volume"
                )
            }
            let offering = try await context.entity(DiskOffering.self, "diskofferingid")
            offeringId = offering.id
            size = try Self.size(for: offering, context)
        }
        guard let zoneId else { throw CloudError.missingParameter(context.command, "zoneid") }
        guard try await store.get(Zone.self, id: zoneId) != nil else {
            throw CloudError.invalidParameter(context.command, "zoneid", zoneId)
        }
        let attachTo =
            context.string("virtualmachineid") == nil
            ? nil : try await Self.accessibleVirtualMachine(context, "virtualmachineid")
        let service = context.volumes
        let request = VolumeService.CreateRequest(
            accountId: owner.id,
            zoneId: zoneId,
            name: context.string("name") ?? "DATA-\(UUID().uuidString.lowercased().prefix(8))",
            size: size,
            diskOfferingId: offeringId
        )
        let volume = try await context.server.limits.withReservation(for: owner, [.volume: 1, .primaryStorage: size]) {
            try await service.create(request)
        }
        return try await context.submitJob(instanceType: "Volume", instanceId: volume.id, returnsId: true) {
            var created = volume
            if let attachTo { created = try await service.attach(volume, to: attachTo, deviceId: nil) }
            return ("volume", try await VolumeResponses.render(created, context))
        }
    }

    /// The size a disk offering gives (GiB → bytes): its own, or the `size` parameter for a custom offering.
    static func size(for offering: DiskOffering, _ context: CommandContext) throws -> Int {
        let requested = context.string("size").flatMap { Int($0) }
        if offering.diskSize == 0 {
            guard let requested else {
                throw CloudError(
                    .paramError,
                    csErrorCode: 4350,
                    "This disk offering requires a custom size specified"
                )
            }
            return try Self.customSize(requested, context)
        }
        if let requested, requested != offering.diskSize {
            throw CloudError(.paramError, csErrorCode: 4350, "This disk offering does not allow custom size")
        }
        guard let bytes = offering.diskSize.checkedMultiplied(by: Self.gibibyte) else {
            throw CloudError.invalidParameter(context.command, "diskofferingid", offering.id)
        }
        return bytes
    }

    /// A custom size in GiB, within `custom.diskoffering.size.min` and `.max` (CloudStack's
    /// VolumeApiServiceImpl.validateCustomDiskOfferingSizeRange), in bytes.
    /// - Throws: 431 with CloudStack's text when the size is out of range.
    static func customSize(_ gigabytes: Int, _ context: CommandContext) throws(CloudError) -> Int {
        let settings = context.server.configuration.cached
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

    static let attachVolume = CommandDescriptor(
        "attachVolume",
        "Attaches a disk volume to a virtual machine.",
        isAsync: true,
        events: .records(CommandEvent(.volumeAttach, "attaching volume", .volume)),
        parameters: [
            ParameterDescriptor("id", .uuid, required: true, "the ID of the disk volume"),
            ParameterDescriptor("virtualmachineid", .uuid, required: true, "the ID of the virtual machine"),
            ParameterDescriptor("deviceid", .long, "the ID of the device to map the volume to the guest OS"),
        ]
    ) { context in
        let volume = try await Self.accessibleVolume(context)
        let vm = try await Self.accessibleVirtualMachine(context, "virtualmachineid")
        if volume.accountId != nil && volume.accountId != vm.accountId {
            throw CommandContext.permissionDenied(
                "Entity \(volume.id) and entity \(vm.id) belong to different accounts"
            )
        }
        let deviceId = context.string("deviceid").flatMap { Int($0) }
        let service = context.volumes
        return try await context.submitJob(instanceType: "Volume", instanceId: volume.id) {
            let attached = try await service.attach(volume, to: vm, deviceId: deviceId)
            return ("volume", try await VolumeResponses.render(attached, context))
        }
    }

    static let detachVolume = CommandDescriptor(
        "detachVolume",
        "Detaches a disk volume from a virtual machine.",
        isAsync: true,
        events: .records(CommandEvent(.volumeDetach, "detaching volume", .volume)),
        parameters: [
            ParameterDescriptor("id", .uuid, "the ID of the disk volume"),
            ParameterDescriptor(
                "virtualmachineid",
                .uuid,
                "the ID of the virtual machine where the volume is detached from"
            ),
            ParameterDescriptor(
                "deviceid",
                .long,
                "the device ID on the virtual machine where volume is detached from"
            ),
        ]
    ) { context in
        let byId = context.string("id") != nil
        let byDevice = context.string("virtualmachineid") != nil && context.string("deviceid") != nil
        guard byId != (context.string("virtualmachineid") != nil || context.string("deviceid") != nil),
            byId || byDevice
        else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Please provide either a volume id, or a tuple(device id, instance id)"
            )
        }
        let volume: Volume
        if byId {
            volume = try await Self.accessibleVolume(context)
        } else {
            let vm = try await Self.accessibleVirtualMachine(context, "virtualmachineid")
            let device = try context.required("deviceid")
            guard
                let found = try await context.server.store.volumes(of: vm.id).first(where: {
                    $0.deviceId.map(String.init) == device
                })
            else {
                throw CloudError(.paramError, csErrorCode: 4350, "Unable to find volume with ID: null")
            }
            volume = found
        }
        let service = context.volumes
        return try await context.submitJob(instanceType: "Volume", instanceId: volume.id) {
            let detached = try await service.detach(volume)
            return ("volume", try await VolumeResponses.render(detached, context))
        }
    }

    static let resizeVolume = CommandDescriptor(
        "resizeVolume",
        "Resizes a volume",
        isAsync: true,
        events: .records(CommandEvent(.volumeResize, "resizing volume", .volume)),
        parameters: [
            ParameterDescriptor("id", .uuid, required: true, "the ID of the disk volume"),
            ParameterDescriptor("diskofferingid", .uuid, "new disk offering id"),
            ParameterDescriptor("size", .long, "New volume size in GB"),
            ParameterDescriptor("shrinkok", .boolean, "Verify OK to Shrink"),
        ]
    ) { context in
        let volume = try await Self.accessibleVolume(context)
        var newSize: Int
        var offeringId: String? = nil
        if context.string("diskofferingid") != nil {
            let offering = try await context.entity(DiskOffering.self, "diskofferingid")
            offeringId = offering.id
            newSize = try Self.size(for: offering, context)
        } else {
            guard let gigabytes = context.string("size").flatMap({ Int($0) }) else {
                throw CloudError.missingParameter(context.command, "size")
            }
            guard gigabytes > 0 else {
                throw CloudError.invalidParameter(context.command, "size", String(gigabytes))
            }
            newSize = try Self.customSize(gigabytes, context)
        }
        let shrinkOk = context.bool("shrinkok")
        let size = newSize
        let offering = offeringId
        let service = context.volumes
        var owner: Account?
        if let accountId = volume.accountId { owner = try await context.server.store.get(Account.self, id: accountId) }
        let volumeOwner = owner
        return try await context.submitJob(instanceType: "Volume", instanceId: volume.id) {
            // Growing a volume counts the added bytes against the owner's primary storage limit.
            let resize = { try await service.resize(volume, to: size, diskOfferingId: offering, shrinkOk: shrinkOk) }
            let resized =
                if let owner = volumeOwner, size > volume.size {
                    try await context.server.limits.withReservation(
                        for: owner,
                        [.primaryStorage: size.saturatingSubtracting(volume.size)],
                        resize
                    )
                } else {
                    try await resize()
                }
            return ("volume", try await VolumeResponses.render(resized, context))
        }
    }

    static let deleteVolume = CommandDescriptor(
        "deleteVolume",
        "Deletes a detached disk volume.",
        events: .records(CommandEvent(.volumeDelete, "deleting volume", .volume)),
        parameters: [ParameterDescriptor("id", .uuid, required: true, "The ID of the disk volume")]
    ) { context in
        let volume = try await Self.accessibleVolume(context)
        try await context.volumes.delete(volume)
        return .flat([("success", .bool(true))])
    }
}

extension CommandContext {
    /// The volume service over this server's store.
    var volumes: VolumeService {
        VolumeService(store: self.server.store, virtualMachines: self.server.virtualMachines)
    }
}
