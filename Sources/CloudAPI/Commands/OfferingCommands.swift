import CloudCore
import CloudModel

/// Compute and disk offerings: create (fixed, customized and constrained), update and delete.
enum OfferingCommands {
    static var all: [CommandDescriptor] {
        [updateServiceOffering, deleteServiceOffering, createDiskOffering, updateDiskOffering, deleteDiskOffering]
    }

    static let createServiceOffering = CommandDescriptor(
        "createServiceOffering",
        "Creates a service offering.",
        roles: [.rootAdmin, .domainAdmin],
        events: .records(CommandEvent(.serviceOfferingCreate, "creating service offering", .serviceOffering)),
        parameters: [
            ParameterDescriptor("name", .string, required: true, "the name of the service offering"),
            ParameterDescriptor("displaytext", .string, required: true, "the display text"),
            ParameterDescriptor("cpunumber", .integer, "the number of CPU cores (leave out for a custom offering)"),
            ParameterDescriptor("cpuspeed", .integer, "the CPU speed in MHz"),
            ParameterDescriptor("memory", .integer, "the memory in MB (leave out for a custom offering)"),
            ParameterDescriptor("customized", .boolean, "whether the deployer chooses CPU and memory"),
            ParameterDescriptor("mincpunumber", .integer, "the minimum number of CPUs of a custom offering"),
            ParameterDescriptor("maxcpunumber", .integer, "the maximum number of CPUs of a custom offering"),
            ParameterDescriptor("minmemory", .integer, "the minimum memory (MB) of a custom offering"),
            ParameterDescriptor("maxmemory", .integer, "the maximum memory (MB) of a custom offering"),
            ParameterDescriptor("offerha", .boolean, "HA for the offering"),
            ParameterDescriptor("hosttags", .string, "the host tags"),
            ParameterDescriptor("limitcpuuse", .boolean, "restrict the CPU usage to the committed service offering"),
        ]
    ) { context in
        let offering = try await context.core.offerings.createServiceOffering(
            OfferingService.NewServiceOffering(
                name: try context.required("name"),
                displayText: try context.required("displaytext"),
                cpuNumber: context.int("cpunumber"),
                cpuSpeed: context.int("cpuspeed"),
                memory: context.int("memory"),
                customized: context.string("customized").map { _ in context.bool("customized") },
                minCpuNumber: context.int("mincpunumber"),
                maxCpuNumber: context.int("maxcpunumber"),
                minMemory: context.int("minmemory"),
                maxMemory: context.int("maxmemory"),
                offerHa: context.bool("offerha"),
                hostTags: context.string("hosttags"),
                limitCpuUse: context.bool("limitcpuuse")
            )
        )
        return .object(name: "serviceoffering", EntityResponses.serviceOffering(offering))
    }

    static let updateServiceOffering = CommandDescriptor(
        "updateServiceOffering",
        "Updates a service offering.",
        roles: [.rootAdmin, .domainAdmin],
        events: .records(CommandEvent(.serviceOfferingEdit, "updating service offering", .serviceOffering)),
        parameters: [
            ParameterDescriptor("id", .uuid, required: true, "the ID of the service offering to be updated"),
            ParameterDescriptor("name", .string, "the name of the service offering to be updated"),
            ParameterDescriptor("displaytext", .string, "the display text of the service offering to be updated"),
            ParameterDescriptor("hosttags", .string, "comma-separated host tags for the service offering"),
            ParameterDescriptor("sortkey", .integer, "sort key of the service offering, integer"),
        ]
    ) { context in
        let offering = try await context.core.offerings.updateServiceOffering(
            context.access,
            id: try context.required("id"),
            name: context.string("name"),
            displayText: context.string("displaytext"),
            hostTags: context.parameters["hosttags"]
        )
        return .object(name: "serviceoffering", EntityResponses.serviceOffering(offering))
    }

    static let deleteServiceOffering = CommandDescriptor(
        "deleteServiceOffering",
        "Deletes a service offering.",
        roles: [.rootAdmin, .domainAdmin],
        events: .records(CommandEvent(.serviceOfferingDelete, "deleting service offering", .serviceOffering)),
        parameters: [ParameterDescriptor("id", .uuid, required: true, "the ID of the service offering")]
    ) { context in
        // Soft delete, as CloudStack does: VMs using the offering keep showing it.
        try await context.core.offerings.deleteServiceOffering(context.access, id: try context.required("id"))
        return .flat([("success", .bool(true))])
    }

    static let createDiskOffering = CommandDescriptor(
        "createDiskOffering",
        "Creates a disk offering.",
        roles: [.rootAdmin, .domainAdmin],
        events: .records(CommandEvent(.diskOfferingCreate, "creating disk offering", .diskOffering)),
        parameters: [
            ParameterDescriptor("name", .string, required: true, "name of the disk offering"),
            ParameterDescriptor("displaytext", .string, "an alternate display text of the disk offering"),
            ParameterDescriptor("disksize", .long, "size of the disk offering in GB (1GB = 1,073,741,824 bytes)"),
            ParameterDescriptor("customized", .boolean, "whether disk offering size is custom or not"),
            ParameterDescriptor("storagetype", .string, "the storage type of the disk offering (shared or local)"),
        ]
    ) { context in
        let offering = try await context.core.offerings.createDiskOffering(
            name: try context.required("name"),
            displayText: context.string("displaytext"),
            diskSize: context.int("disksize"),
            customized: context.bool("customized")
        )
        return .object(name: "diskoffering", EntityResponses.diskOffering(offering))
    }

    static let updateDiskOffering = CommandDescriptor(
        "updateDiskOffering",
        "Updates a disk offering.",
        roles: [.rootAdmin, .domainAdmin],
        events: .records(CommandEvent(.diskOfferingEdit, "updating disk offering", .diskOffering)),
        parameters: [
            ParameterDescriptor("id", .uuid, required: true, "ID of the disk offering"),
            ParameterDescriptor("name", .string, "updates name of the disk offering with this value"),
            ParameterDescriptor("displaytext", .string, "updates alternate display text of the disk offering"),
            ParameterDescriptor("sortkey", .integer, "sort key of the disk offering, integer"),
        ]
    ) { context in
        let offering = try await context.core.offerings.updateDiskOffering(
            context.access,
            id: try context.required("id"),
            name: context.string("name"),
            displayText: context.string("displaytext")
        )
        return .object(name: "diskoffering", EntityResponses.diskOffering(offering))
    }

    static let deleteDiskOffering = CommandDescriptor(
        "deleteDiskOffering",
        "Updates a disk offering.",
        roles: [.rootAdmin, .domainAdmin],
        events: .records(CommandEvent(.diskOfferingDelete, "deleting disk offering", .diskOffering)),
        parameters: [ParameterDescriptor("id", .uuid, required: true, "ID of the disk offering")]
    ) { context in
        try await context.core.offerings.deleteDiskOffering(context.access, id: try context.required("id"))
        return .flat([("success", .bool(true))])
    }
}
