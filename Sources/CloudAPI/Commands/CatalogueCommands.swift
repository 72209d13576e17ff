import CloudCore
import CloudModel

/// Templates and offerings.
enum CatalogueCommands {
    static var all: [CommandDescriptor] {
        [
            TemplateCommands.listTemplates, registerTemplate, listServiceOfferings,
            OfferingCommands.createServiceOffering,
            listDiskOfferings,
        ]
    }

    static let registerTemplate = CommandDescriptor(
        "registerTemplate",
        "Registers an existing template into the CloudStack cloud.",
        events: .records(CommandEvent(.templateCreate, "registering template", .template)),
        parameters: [
            ParameterDescriptor("name", .string, required: true, "the name of the template"),
            ParameterDescriptor("displaytext", .string, required: true, "the display text of the template"),
            ParameterDescriptor("format", .string, required: true, "the format (VHD, QCOW2, OVA, RAW)"),
            ParameterDescriptor("hypervisor", .string, required: true, "the target hypervisor"),
            ParameterDescriptor("url", .string, required: true, "the URL of where the template is hosted"),
            ParameterDescriptor("zoneid", .uuid, "the zone the template is to be hosted on"),
            ParameterDescriptor("zoneids", .list, "the zones the template is to be hosted on"),
            ParameterDescriptor("ostypeid", .uuid, "the OS type"),
            ParameterDescriptor("ispublic", .boolean, "public template"),
            ParameterDescriptor("isfeatured", .boolean, "featured template"),
            ParameterDescriptor(
                "checksum",
                .string,
                "the checksum of the template: {ALGORITHM}hex (MD5, SHA-1, SHA-256, SHA-384, SHA-512) or MD5 hex"
            ),
        ]
    ) { context in
        guard
            let zoneId = context.string("zoneid")
                ?? context.string("zoneids")?.split(separator: ",").first.map(String.init)
        else { throw CloudError.missingParameter(context.command, "zoneid") }
        var registration = CatalogueService.TemplateRegistration(
            name: try context.required("name"),
            displayText: try context.required("displaytext"),
            format: try context.required("format"),
            hypervisor: try context.required("hypervisor"),
            url: try context.required("url"),
            zoneId: zoneId,
            isPublic: context.bool("ispublic"),
            isFeatured: context.bool("isfeatured"),
            checksum: context.string("checksum")
        )
        registration.osTypeId = context.string("ostypeid")
        let (template, zoneName) = try await context.core.catalogue.registerTemplate(context.access, registration)
        return .list(item: "template", total: 1, items: [EntityResponses.template(template, zoneName: zoneName)])
    }

    static let listServiceOfferings = CommandDescriptor(
        "listServiceOfferings",
        "Lists all available service offerings.",
        parameters: ListParameters.all
    ) { context in
        let page = try await context.core.offerings.serviceOfferings(context.access, context.listRequest)
        return .list(item: "serviceoffering", total: page.total, items: page.items.map(EntityResponses.serviceOffering))
    }

    static let listDiskOfferings = CommandDescriptor(
        "listDiskOfferings",
        "Lists all available disk offerings.",
        parameters: ListParameters.all + [ParameterDescriptor("zoneid", .uuid, "the zone")]
    ) { context in
        let page = try await context.core.offerings.diskOfferings(context.access, context.listRequest)
        return .list(item: "diskoffering", total: page.total, items: page.items.map(EntityResponses.diskOffering))
    }
}
