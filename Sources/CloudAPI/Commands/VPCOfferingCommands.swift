import CloudCore
import CloudModel

/// VPC offerings: listVPCOfferings, createVPCOffering, updateVPCOffering, deleteVPCOffering.
enum VPCOfferingCommands {
    static var all: [CommandDescriptor] {
        [listVPCOfferings, createVPCOffering, updateVPCOffering, deleteVPCOffering]
    }

    /// A `vpcoffering` response object.
    static func render(_ offering: VPCOffering) -> APIValue {
        .object([
            ("id", .string(offering.id)), ("name", .string(offering.name)),
            ("displaytext", .string(offering.displayText)), ("isdefault", .bool(offering.isDefault)),
            ("state", .string(offering.state)), ("created", .string(DateFormat.string(offering.created))),
            ("distributedvpcrouter", .bool(offering.distributedRouter)), ("supportsregionLevelvpc", .bool(false)),
            ("fornsx", .bool(false)), ("networkmode", .string("NATTED")), ("internetprotocol", .string("IPv4")),
            ("specifyasnumber", .bool(false)),
            ("service", .array(offering.serviceList.map { NetworkResponses.service($0) })),
        ])
    }

    static let listVPCOfferings = CommandDescriptor(
        "listVPCOfferings",
        "Lists VPC offerings",
        parameters: ListParameters.all + [
            ParameterDescriptor("displaytext", .string, "list VPC offerings by display text"),
            ParameterDescriptor("isdefault", .boolean, "true if need to list only default VPC offerings"),
            ParameterDescriptor("state", .string, "list VPC offerings by state"),
            ParameterDescriptor("zoneid", .uuid, "id of zone VPC offering is associated with"),
            ParameterDescriptor("domainid", .uuid, "list VPC offerings available for VPC creation in specific domain"),
            ParameterDescriptor("supportedservices", .list, "list VPC offerings supporting certain services"),
        ]
    ) { context in
        let page = try await context.core.vpcOfferings.list(
            context.access,
            context.listRequest,
            VPCOfferingService.ListFilter(
                isDefault: context.string("isdefault").map { $0.lowercased() == "true" },
                state: context.string("state"),
                displayText: context.string("displaytext"),
                supportedServices: context.string("supportedservices")?.split(separator: ",").map(String.init)
            )
        )
        return .list(item: "vpcoffering", total: page.total, items: page.items.map(Self.render))
    }

    static let createVPCOffering = CommandDescriptor(
        "createVPCOffering",
        "Creates VPC offering",
        isAsync: true,
        roles: [.rootAdmin],
        events: .records(CommandEvent(.vpcOfferingCreate, "creating VPC offering", .vpcOffering)),
        parameters: [
            ParameterDescriptor("name", .string, required: true, "the name of the vpc offering"),
            ParameterDescriptor("displaytext", .string, "the display text of the vpc offering, defaults to the name"),
            ParameterDescriptor("supportedservices", .list, "services supported by the vpc offering"),
            ParameterDescriptor("enable", .boolean, "set to true if the offering is to be enabled during creation"),
            ParameterDescriptor("internetprotocol", .string, "the internet protocol of the offering: IPv4"),
        ]
    ) { context in
        if let protocolName = context.string("internetprotocol"), protocolName.lowercased() != "ipv4" {
            throw CloudError.invalidParameter(context.command, "internetprotocol", protocolName)
        }
        let offering = try await context.core.vpcOfferings.create(
            context.access,
            name: try context.required("name"),
            displayText: context.string("displaytext"),
            services: context.string("supportedservices")?.split(separator: ",").map(String.init),
            enable: context.bool("enable")
        )
        return try await context.submitJob(instanceType: "None", instanceId: offering.id, returnsId: true) {
            ("vpcoffering", Self.render(offering))
        }
    }

    static let updateVPCOffering = CommandDescriptor(
        "updateVPCOffering",
        "Updates VPC offering",
        isAsync: true,
        roles: [.rootAdmin],
        events: .records(CommandEvent(.vpcOfferingUpdate, "updating VPC offering", .vpcOffering)),
        parameters: [
            ParameterDescriptor("id", .uuid, required: true, "the id of the VPC offering"),
            ParameterDescriptor("name", .string, "the name of the VPC offering"),
            ParameterDescriptor("displaytext", .string, "the display text of the VPC offering"),
            ParameterDescriptor(
                "state",
                .string,
                "update state for the VPC offering; supported states - Enabled/Disabled"
            ),
        ]
    ) { context in
        let offering = try await context.core.vpcOfferings.update(
            context.access,
            id: try context.required("id"),
            name: context.string("name"),
            displayText: context.string("displaytext"),
            state: context.string("state")
        )
        return try await context.submitJob(instanceType: "None", instanceId: offering.id) {
            ("vpcoffering", Self.render(offering))
        }
    }

    static let deleteVPCOffering = CommandDescriptor(
        "deleteVPCOffering",
        "Deletes VPC offering",
        isAsync: true,
        roles: [.rootAdmin],
        events: .records(CommandEvent(.vpcOfferingDelete, "deleting VPC offering", .vpcOffering)),
        parameters: [ParameterDescriptor("id", .uuid, required: true, "the ID of the VPC offering")]
    ) { context in
        let offerings = context.core.vpcOfferings
        let access = context.access
        let id = try context.required("id")
        _ = try await offerings.offering(access, id: id)
        return try await context.submitJob(instanceType: "None", instanceId: id) {
            try await offerings.delete(access, id: id)
            return ("success", .bool(true))
        }
    }
}
