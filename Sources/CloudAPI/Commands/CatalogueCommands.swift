import CloudCore
import CloudModel
import CloudStore
import Foundation

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
        ]
    ) { context in
        guard
            let zoneId = context.string("zoneid")
                ?? context.string("zoneids")?.split(separator: ",").first.map(String.init)
        else { throw CloudError.missingParameter(context.command, "zoneid") }
        guard try await context.server.store.get(Zone.self, id: zoneId) != nil else {
            throw CloudError.invalidParameter(context.command, "zoneid", zoneId)
        }
        let imageStores = try await context.server.store.list(ImageStore.self, ListQuery(equals: [("zone_id", zoneId)]))
        guard imageStores.total > 0 else {
            throw CloudError(
                .internalError,
                csErrorCode: 4250,
                "Unable to find image store to download template \(try context.required("name"))"
            )
        }
        let template = Template(
            id: UUID().uuidString.lowercased(),
            name: try context.required("name"),
            displayText: try context.required("displaytext"),
            format: try context.required("format").uppercased(),
            hypervisor: try context.required("hypervisor"),
            osTypeName: "Other (64-bit)",
            url: try context.required("url"),
            isPublic: context.bool("ispublic"),
            isFeatured: context.caller.isAdmin && context.bool("isfeatured"),
            accountId: context.caller.account.id,
            zoneId: zoneId,
            status: "Not Downloaded",
            isReady: false,
            size: 2 << 30,
            created: Timestamp.now
        )
        // A registered template counts against the `template` limit (its size is known only once downloaded).
        try await context.withinLimits(of: template.accountId, [.template: 1]) {
            try await context.server.store.insert(template)
        }
        context.server.templateDownloads.start(template.id)
        let zone = try await context.server.store.get(Zone.self, id: zoneId)
        return .list(
            item: "template",
            total: 1,
            items: [EntityResponses.template(template, zoneName: zone?.name ?? "")]
        )
    }

    static let listServiceOfferings = CommandDescriptor(
        "listServiceOfferings",
        "Lists all available service offerings.",
        parameters: ListParameters.all
    ) { context in
        var query = try context.listQuery()
        query.isNull = ["removed"]
        let page = try await context.server.store.list(ServiceOffering.self, query)
        return .list(item: "serviceoffering", total: page.total, items: page.items.map(EntityResponses.serviceOffering))
    }

    static let listDiskOfferings = CommandDescriptor(
        "listDiskOfferings",
        "Lists all available disk offerings.",
        parameters: ListParameters.all + [ParameterDescriptor("zoneid", .uuid, "the zone")]
    ) { context in
        let page = try await context.server.store.list(DiskOffering.self, try context.listQuery())
        return .list(item: "diskoffering", total: page.total, items: page.items.map(EntityResponses.diskOffering))
    }
}
