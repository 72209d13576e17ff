import CloudModel
import CloudStore
import Foundation

/// Templates and offerings.
enum CatalogueCommands {
    static var all: [CommandDescriptor] {
        [listTemplates, registerTemplate, listServiceOfferings, createServiceOffering, listDiskOfferings]
    }

    static let listTemplates = CommandDescriptor(
        "listTemplates",
        "List all public, private, and privileged templates.",
        parameters: ListParameters.all + [
            ParameterDescriptor(
                "templatefilter",
                .string,
                required: true,
                "featured, self, selfexecutable, sharedexecutable, executable, community or all"
            ),
            ParameterDescriptor("zoneid", .uuid, "the zone"),
            ParameterDescriptor("hypervisor", .string, "the hypervisor"),
        ]
    ) { context in
        let filter = try context.required("templatefilter")
        let query = try context.listQuery()
        var all = query
        all.page = 1
        all.pageSize = nil
        if let zone = context.string("zoneid") { all.equals.append(("zone_id", zone)) }
        if let hypervisor = context.string("hypervisor") { all.equals.append(("hypervisor", hypervisor)) }
        let own = context.caller.account.id
        let matches: (Template) -> Bool
        switch filter {
        case "featured": matches = { $0.isFeatured && $0.isPublic }
        case "self": matches = { $0.accountId == own }
        case "selfexecutable": matches = { $0.accountId == own && $0.isReady }
        case "sharedexecutable": matches = { _ in false }
        case "executable": matches = { $0.isReady && ($0.isPublic || $0.accountId == own) }
        case "community": matches = { $0.isPublic && !$0.isFeatured }
        case "all": matches = { context.caller.role == .rootAdmin || $0.isPublic || $0.accountId == own }
        default: throw CloudAPIError.invalidParameter(context.command, "templatefilter", filter)
        }
        let templates = try await context.server.store.list(Template.self, all).items.filter(matches)
        let size = query.pageSize ?? templates.count
        let page = templates.dropFirst((query.page - 1) * size).prefix(size)
        var items: [APIValue] = []
        for template in page {
            let zone = try await context.server.store.get(Zone.self, id: template.zoneId)
            items.append(EntityResponses.template(template, zoneName: zone?.name ?? ""))
        }
        return .list(item: "template", total: templates.count, items: items)
    }

    static let registerTemplate = CommandDescriptor(
        "registerTemplate",
        "Registers an existing template into the CloudStack cloud.",
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
        else { throw CloudAPIError.missingParameter(context.command, "zoneid") }
        guard try await context.server.store.get(Zone.self, id: zoneId) != nil else {
            throw CloudAPIError.invalidParameter(context.command, "zoneid", zoneId)
        }
        let imageStores = try await context.server.store.list(ImageStore.self, ListQuery(equals: [("zone_id", zoneId)]))
        guard imageStores.total > 0 else {
            throw CloudAPIError(
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
        try await context.server.store.insert(template)
        TemplateDownloadSimulator.start(template.id, store: context.server.store)
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
        let page = try await context.server.store.list(ServiceOffering.self, try context.listQuery())
        return .list(item: "serviceoffering", total: page.total, items: page.items.map(EntityResponses.serviceOffering))
    }

    static let createServiceOffering = CommandDescriptor(
        "createServiceOffering",
        "Creates a service offering.",
        roles: [.rootAdmin, .domainAdmin],
        parameters: [
            ParameterDescriptor("name", .string, required: true, "the name of the service offering"),
            ParameterDescriptor("displaytext", .string, required: true, "the display text"),
            ParameterDescriptor("cpunumber", .integer, "the number of CPU cores"),
            ParameterDescriptor("cpuspeed", .integer, "the CPU speed in MHz"),
            ParameterDescriptor("memory", .integer, "the memory in MB"),
            ParameterDescriptor("offerha", .boolean, "HA for the offering"),
            ParameterDescriptor("hosttags", .string, "the host tags"),
        ]
    ) { context in
        for name in ["cpunumber", "cpuspeed", "memory"] {
            if let value = context.int(name), value <= 0 {
                throw CloudAPIError.invalidParameter(context.command, name, String(value))
            }
        }
        let offering = ServiceOffering(
            id: UUID().uuidString.lowercased(),
            name: try context.required("name"),
            displayText: try context.required("displaytext"),
            cpuNumber: context.int("cpunumber") ?? 1,
            cpuSpeed: context.int("cpuspeed") ?? 500,
            memory: context.int("memory") ?? 512,
            offerHa: context.bool("offerha"),
            hostTags: context.string("hosttags") ?? "",
            created: Timestamp.now
        )
        try await context.server.store.insert(offering)
        return .object(name: "serviceoffering", EntityResponses.serviceOffering(offering))
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
