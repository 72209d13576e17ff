import CloudCore
import CloudModel
import CloudStore
import Foundation

/// listTemplates (with CloudStack's `templatefilter` semantics), updateTemplate, deleteTemplate and
/// updateTemplatePermissions.
enum TemplateCommands {
    static var all: [CommandDescriptor] { [updateTemplate, deleteTemplate, updateTemplatePermissions] }

    /// Renders a page of templates with their zone names and tags (one query per related table).
    static func render(_ templates: [Template], _ context: CommandContext) async throws -> [APIValue] {
        let store = context.server.store
        let tags = try await store.tags(of: templates.map(\.id), resourceType: "Template")
        var zones: [String: String] = [:]
        var accounts: [String: Account] = [:]
        for zoneId in Set(templates.map(\.zoneId)) { zones[zoneId] = try await store.get(Zone.self, id: zoneId)?.name }
        for accountId in Set(templates.map(\.accountId)) {
            accounts[accountId] = try await store.get(Account.self, id: accountId)
        }
        return templates.map { template in
            let account = accounts[template.accountId]
            guard case .object(let fields) = EntityResponses.template(template, zoneName: zones[template.zoneId] ?? "")
            else { return .object([]) }
            return .object(
                fields + [
                    ("account", .string(account?.name ?? "")), ("domainid", .string(account?.domainId ?? "")),
                    ("domain", .string("ROOT")),
                    ("tags", .array((tags[template.id] ?? []).map { TagCommands.render($0, account: account) })),
                ]
            )
        }
    }

    /// Loads the template named by `id`, refusing other accounts' templates to anyone but the root admin.
    static func ownedTemplate(_ context: CommandContext) async throws -> Template {
        let template = try await context.entity(Template.self, "id")
        if context.caller.role != .rootAdmin && template.accountId != context.caller.account.id {
            throw CloudError(
                .accountError,
                csErrorCode: 4365,
                "Account \(context.caller.account.name) does not have permission to operate on template \(template.id)"
            )
        }
        return template
    }

    /// CloudStack's `templatefilter`/`isofilter` as a predicate over images the caller may list.
    /// - Throws: 431 for an unknown filter or `all` asked by a non-admin.
    static func matcher(
        _ filter: String,
        parameter: String,
        _ context: CommandContext
    ) async throws
        -> @Sendable (Template) -> Bool
    {
        let own = context.caller.account.id
        let shared = try await context.server.store.templatesShared(with: own)
        let matches: @Sendable (Template) -> Bool
        switch filter {
        case "featured": matches = { $0.isFeatured && $0.isPublic }
        case "self": matches = { $0.accountId == own }
        case "selfexecutable": matches = { $0.accountId == own && $0.isReady }
        case "sharedexecutable": matches = { shared.contains($0.id) && $0.isReady }
        case "executable":
            matches = { $0.isReady && ($0.isPublic || $0.accountId == own || shared.contains($0.id)) }
        case "community": matches = { $0.isPublic && !$0.isFeatured }
        case "all":
            guard context.caller.role == .rootAdmin else {
                throw CloudError(.paramError, csErrorCode: 4350, "Filter all can be specified by admin only")
            }
            matches = { _ in true }
        default: throw CloudError.invalidParameter(context.command, parameter, filter)
        }
        return matches
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
            ParameterDescriptor("tags", .map, "List resources by tags (key/value pairs)"),
        ]
    ) { context in
        let filter = try context.required("templatefilter").lowercased()
        let query = try context.listQuery()
        var all = query
        all.page = 1
        all.pageSize = nil
        all.tags = context.tagPairs
        all.tagResourceType = "Template"
        if let zone = context.string("zoneid") { all.equals.append(("zone_id", zone)) }
        if let hypervisor = context.string("hypervisor") { all.equals.append(("hypervisor", hypervisor)) }
        let matches = try await Self.matcher(filter, parameter: "templatefilter", context)
        let templates = try await context.server.store.list(Template.self, all).items.filter {
            matches($0) && $0.format != "ISO"
        }
        let size = query.pageSize ?? max(templates.count, 1)
        let page = templates.paged(query.page, size: size)
        return .list(item: "template", total: templates.count, items: try await Self.render(page, context))
    }

    static let updateTemplate = CommandDescriptor(
        "updateTemplate",
        "Updates attributes of a template.",
        events: .records(CommandEvent(.templateUpdate, "updating template", .template)),
        parameters: [
            ParameterDescriptor("id", .uuid, required: true, "the ID of the image file"),
            ParameterDescriptor("name", .string, "the name of the image file"),
            ParameterDescriptor("displaytext", .string, "the display text of the image"),
            ParameterDescriptor("format", .string, "the format for the image"),
            ParameterDescriptor("ostypeid", .uuid, "the ID of the OS type that best represents the OS of this image"),
            ParameterDescriptor("passwordenabled", .boolean, "true if the image supports the password reset feature"),
            ParameterDescriptor("sortkey", .integer, "sort key of the template, integer"),
        ]
    ) { context in
        var template = try await Self.ownedTemplate(context)
        if let name = context.string("name") { template.name = name }
        if let text = context.string("displaytext") { template.displayText = text }
        if let format = context.string("format") {
            let known = ["QCOW2", "RAW", "VHD", "VHDX", "OVA", "ISO", "VMDK", "BAREMETAL", "TAR", "ZIP"]
            guard known.contains(format.uppercased()) else {
                throw CloudError(.paramError, csErrorCode: 4350, "Image format: \(format) is incorrect")
            }
            template.format = format.uppercased()
        }
        try await context.server.store.replace(template, id: template.id)
        return .object(name: "template", try await Self.render([template], context)[0])
    }

    static let deleteTemplate = CommandDescriptor(
        "deleteTemplate",
        "Deletes a template from the system. All virtual machines using the deleted template will not be affected.",
        isAsync: true,
        events: .records(CommandEvent(.templateDelete, "deleting template", .template)),
        parameters: [
            ParameterDescriptor("id", .uuid, required: true, "the ID of the template"),
            ParameterDescriptor("zoneid", .uuid, "the ID of zone of the template"),
            ParameterDescriptor("forced", .boolean, "Force delete a template."),
        ]
    ) { context in
        let template = try await Self.ownedTemplate(context)
        if let zoneId = context.string("zoneid"), zoneId != template.zoneId {
            throw CloudError.invalidParameter(context.command, "zoneid", zoneId)
        }
        var users = ListQuery(equals: [("template_id", template.id)], excludeStates: ["Expunging"])
        users.pageSize = 20
        let inUse = try await context.server.store.list(VirtualMachine.self, users)
        if inUse.total > 0 && !context.bool("forced") {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Unable to delete template with id: \(template.id) because VM instances: [\(inUse.items.map(\.name).joined(separator: ", "))] are using it."
            )
        }
        let store = context.server.store
        return try await context.submitJob(instanceType: "Template", instanceId: template.id) {
            try await store.deleteTemplate(id: template.id)
            return ("success", .bool(true))
        }
    }

    static let updateTemplatePermissions = CommandDescriptor(
        "updateTemplatePermissions",
        "Updates a template visibility permissions. A public template is visible to all accounts within the same domain. A private template is visible only to the owner of the template. A privileged template is a private template with account permissions added. Only accounts specified under the template permissions are visible to them.",
        events: .unrecorded("template permissions record no event yet"),
        parameters: [
            ParameterDescriptor("id", .uuid, required: true, "the template ID"),
            ParameterDescriptor("ispublic", .boolean, "true for public template/iso, false for private templates/isos"),
            ParameterDescriptor("isfeatured", .boolean, "true for featured template/iso, false otherwise"),
            ParameterDescriptor("isextractable", .boolean, "true if the template/iso is extractable, false other wise"),
            ParameterDescriptor("accounts", .list, "a comma delimited list of accounts within caller's domain"),
            ParameterDescriptor("op", .string, "permission operator (add, remove, reset)"),
        ]
    ) { context in
        var template = try await Self.ownedTemplate(context)
        let store = context.server.store
        if context.string("isfeatured") != nil && !context.caller.isAdmin {
            throw CloudError(
                .accountError,
                csErrorCode: 4365,
                "Parameter isfeatured can only be specified by admin"
            )
        }
        let accountNames = context.string("accounts")?.split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        let op = context.string("op")?.lowercased()
        if accountNames != nil && op == nil {
            throw CloudError(.paramError, csErrorCode: 4350, "Operation must be specified when accounts are given")
        }
        var accountIds: [String] = []
        for name in accountNames ?? [] where !name.isEmpty {
            let found = try await store.list(
                Account.self,
                ListQuery(equals: [("name", name), ("domain_id", context.caller.account.domainId)])
            ).items.first
            guard let found else {
                throw CloudError(.paramError, csErrorCode: 4350, "Unable to find account \(name) in domain")
            }
            accountIds.append(found.id)
        }
        switch op {
        case nil: break
        case "add": try await store.grantLaunch(templateId: template.id, to: accountIds)
        case "remove": try await store.revokeLaunch(templateId: template.id, from: accountIds)
        case "reset": try await store.revokeLaunch(templateId: template.id, from: nil)
        default: throw CloudError.invalidParameter(context.command, "op", op ?? "")
        }
        if context.string("ispublic") != nil { template.isPublic = context.bool("ispublic") }
        if context.string("isfeatured") != nil { template.isFeatured = context.bool("isfeatured") }
        try await store.replace(template, id: template.id)
        return .flat([("success", .bool(true))])
    }
}
