import CloudCore
import CloudModel
import CloudStore
import Foundation
import Orchestrator

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
        let name = try context.required("name")
        let cpuNumber = context.int("cpunumber")
        let cpuSpeed = context.int("cpuspeed")
        let memory = context.int("memory")
        let bounds = ["mincpunumber", "maxcpunumber", "minmemory", "maxmemory"].map { context.int($0) }
        let customized =
            context.string("customized").map { _ in context.bool("customized") } ?? (cpuNumber == nil && memory == nil)
        func refuse(_ text: String) -> CloudError {
            CloudError(.paramError, csErrorCode: 4350, "Failed to create service offering \(name): \(text)")
        }
        if customized {
            if cpuNumber != nil || memory != nil {
                throw CloudError(
                    .paramError,
                    csErrorCode: 4350,
                    "For creating a custom compute offering cpu and memory all should be null"
                )
            }
            let given = bounds.compactMap { $0 }
            if !given.isEmpty && (given.count != 4 || cpuSpeed == nil) {
                throw CloudError(
                    .paramError,
                    csErrorCode: 4350,
                    "For creating a custom compute offering min/max cpu and min/max memory/cpu speed should all be null or all specified"
                )
            }
            if given.count == 4 {
                guard let minCpu = bounds[0], let maxCpu = bounds[1], let minMemory = bounds[2],
                    let maxMemory = bounds[3]
                else { throw refuse("invalid bounds") }
                if minCpu <= 0 || maxCpu < minCpu {
                    throw refuse("specify the minimum or maximum cpu number value between 1 and \(Int32.max)")
                }
                if minMemory < 32 || maxMemory < minMemory {
                    throw refuse("specify the memory value between 32 and \(Int32.max) MB")
                }
            }
        } else {
            if let cpuNumber, cpuNumber <= 0 { throw refuse("specify the cpu number value between 1 and \(Int32.max)") }
            if let memory, memory < 32 { throw refuse("specify the memory value between 32 and \(Int32.max) MB") }
        }
        if let cpuSpeed, cpuSpeed <= 0 { throw refuse("specify the cpu speed value between 1 and \(Int32.max)") }
        let offering = ServiceOffering(
            id: UUID().uuidString.lowercased(),
            name: name,
            displayText: try context.required("displaytext"),
            cpuNumber: customized ? 0 : cpuNumber ?? 1,
            cpuSpeed: customized ? cpuSpeed ?? 0 : cpuSpeed ?? 500,
            memory: customized ? 0 : memory ?? 512,
            offerHa: context.bool("offerha"),
            hostTags: context.string("hosttags") ?? "",
            created: Timestamp.now,
            isCustomized: customized,
            minCpuNumber: customized ? bounds[0] : nil,
            maxCpuNumber: customized ? bounds[1] : nil,
            minMemory: customized ? bounds[2] : nil,
            maxMemory: customized ? bounds[3] : nil,
            limitCpuUse: context.bool("limitcpuuse")
        )
        try await context.server.store.insert(offering)
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
        var offering = try await CustomOfferingSizing.offering(context, "id")
        if let name = context.string("name") { offering.name = name }
        if let text = context.string("displaytext") { offering.displayText = text }
        if let tags = context.parameters["hosttags"] { offering.hostTags = tags }
        try await context.server.store.replace(offering, id: offering.id)
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
        var offering = try await CustomOfferingSizing.offering(context, "id")
        offering.removed = Timestamp.now
        try await context.server.store.replace(offering, id: offering.id)
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
        let name = try context.required("name")
        let customized = context.bool("customized")
        let size = context.int("disksize")
        if let size, size < 1 {
            throw CloudError(.paramError, csErrorCode: 4350, "Please specify a disk size of at least 1 GB.")
        }
        let maximum = context.server.configuration.cached.int(GlobalSettings.maxVolumeSize) ?? 2000
        if let size, size > maximum {
            throw CloudError(.paramError, csErrorCode: 4350, "The maximum size for a disk is \(maximum) Gb.")
        }
        if size == nil && !customized {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Disksize is required for a non-customized disk offering"
            )
        }
        let offering = DiskOffering(
            id: UUID().uuidString.lowercased(),
            name: name,
            displayText: context.string("displaytext") ?? name,
            diskSize: customized ? 0 : size ?? 0,
            created: Timestamp.now
        )
        try await context.server.store.insert(offering)
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
        var offering = try await context.entity(DiskOffering.self, "id")
        if let name = context.string("name") { offering.name = name }
        if let text = context.string("displaytext") { offering.displayText = text }
        try await context.server.store.replace(offering, id: offering.id)
        return .object(name: "diskoffering", EntityResponses.diskOffering(offering))
    }

    static let deleteDiskOffering = CommandDescriptor(
        "deleteDiskOffering",
        "Updates a disk offering.",
        roles: [.rootAdmin, .domainAdmin],
        events: .records(CommandEvent(.diskOfferingDelete, "deleting disk offering", .diskOffering)),
        parameters: [ParameterDescriptor("id", .uuid, required: true, "ID of the disk offering")]
    ) { context in
        let offering = try await context.entity(DiskOffering.self, "id")
        try await context.server.store.delete(DiskOffering.self, id: offering.id)
        return .flat([("success", .bool(true))])
    }
}
