import CloudCore
import CloudModel

/// Volumes: listVolumes, createVolume, attachVolume, detachVolume, resizeVolume and deleteVolume.
enum VolumeCommands {
    static var all: [CommandDescriptor] {
        [listVolumes, createVolume, attachVolume, detachVolume, resizeVolume, deleteVolume]
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
        let page = try await context.core.volumeOperations.list(
            context.access,
            context.listRequest,
            VolumeOperations.ListFilters(
                virtualMachineId: context.string("virtualmachineid"),
                type: context.string("type"),
                zoneId: context.string("zoneid"),
                storageId: context.string("storageid"),
                diskOfferingId: context.string("diskofferingid"),
                state: context.string("state")
            )
        )
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
        let volumes = context.core.volumeOperations
        let (volume, attachTo) = try await volumes.create(
            context.access,
            VolumeOperations.CreateRequest(
                owner: context.owner,
                name: context.string("name"),
                diskOfferingId: context.string("diskofferingid"),
                size: context.int("size"),
                zoneId: context.string("zoneid"),
                snapshotId: context.string("snapshotid"),
                virtualMachineId: context.string("virtualmachineid")
            )
        )
        return try await context.submitJob(instanceType: "Volume", instanceId: volume.id, returnsId: true) {
            var created = volume
            if let attachTo { created = try await volumes.attach(volume, to: attachTo, deviceId: nil) }
            return ("volume", try await VolumeResponses.render(created, context))
        }
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
        let volumes = context.core.volumeOperations
        let (volume, vm) = try await volumes.prepareAttach(
            context.access,
            id: try context.required("id"),
            virtualMachineId: try context.required("virtualmachineid")
        )
        let deviceId = context.int("deviceid")
        return try await context.submitJob(instanceType: "Volume", instanceId: volume.id) {
            let attached = try await volumes.attach(volume, to: vm, deviceId: deviceId)
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
        let volumes = context.core.volumeOperations
        let volume = try await volumes.prepareDetach(
            context.access,
            id: context.string("id"),
            virtualMachineId: context.string("virtualmachineid"),
            deviceId: context.string("deviceid")
        )
        return try await context.submitJob(instanceType: "Volume", instanceId: volume.id) {
            let detached = try await volumes.detach(volume)
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
        let volumes = context.core.volumeOperations
        let resize = try await volumes.prepareResize(
            context.access,
            id: try context.required("id"),
            diskOfferingId: context.string("diskofferingid"),
            size: context.int("size"),
            shrinkOk: context.bool("shrinkok")
        )
        return try await context.submitJob(instanceType: "Volume", instanceId: resize.volume.id) {
            let resized = try await volumes.resize(resize)
            return ("volume", try await VolumeResponses.render(resized, context))
        }
    }

    static let deleteVolume = CommandDescriptor(
        "deleteVolume",
        "Deletes a detached disk volume.",
        events: .records(CommandEvent(.volumeDelete, "deleting volume", .volume)),
        parameters: [ParameterDescriptor("id", .uuid, required: true, "The ID of the disk volume")]
    ) { context in
        try await context.core.volumeOperations.delete(context.access, id: try context.required("id"))
        return .flat([("success", .bool(true))])
    }
}
