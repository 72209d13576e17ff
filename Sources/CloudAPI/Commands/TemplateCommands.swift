import CloudCore
import CloudModel
import Foundation

/// listTemplates (with CloudStack's `templatefilter` semantics), updateTemplate, deleteTemplate and
/// updateTemplatePermissions.
enum TemplateCommands {
    static var all: [CommandDescriptor] { [updateTemplate, deleteTemplate, updateTemplatePermissions] }

    /// Renders a page of templates with their zone names and tags (one query per related table).
    static func render(_ templates: [Template], _ context: CommandContext) async throws -> [APIValue] {
        Self.render(templates, try await context.core.templates.relations(of: templates))
    }

    /// Renders templates with what ``TemplateService/relations(of:tagType:)`` loaded.
    static func render(_ templates: [Template], _ related: TemplateService.Relations) -> [APIValue] {
        templates.map { template in
            let account = related.accounts[template.accountId]
            guard
                case .object(let fields) = EntityResponses.template(
                    template,
                    zoneName: related.zoneNames[template.zoneId] ?? ""
                )
            else { return .object([]) }
            return .object(
                fields + [
                    ("account", .string(account?.name ?? "")), ("domainid", .string(account?.domainId ?? "")),
                    ("domain", .string("ROOT")),
                    (
                        "tags",
                        .array((related.tags[template.id] ?? []).map { TagCommands.render($0, account: account) })
                    ),
                ] + UserDataCommands.templateFields(related.userData[template.id])
            )
        }
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
        let page = try await context.core.templates.list(
            context.access,
            context.listRequest,
            filter: try context.required("templatefilter").lowercased(),
            zoneId: context.string("zoneid"),
            hypervisor: context.string("hypervisor")
        )
        return .list(item: "template", total: page.total, items: try await Self.render(page.items, context))
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
        let template = try await context.core.templates.update(
            context.access,
            id: try context.required("id"),
            TemplateService.Update(
                name: context.string("name"),
                displayText: context.string("displaytext"),
                format: context.string("format")
            )
        )
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
        let templates = context.core.templates
        let template = try await templates.prepareDelete(
            context.access,
            id: try context.required("id"),
            zoneId: context.string("zoneid"),
            forced: context.bool("forced")
        )
        return try await context.submitJob(instanceType: "Template", instanceId: template.id) {
            try await templates.delete(template)
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
        try await context.core.templates.updatePermissions(
            context.access,
            id: try context.required("id"),
            TemplateService.PermissionsUpdate(
                isPublic: context.string("ispublic").map { _ in context.bool("ispublic") },
                isFeatured: context.string("isfeatured").map { _ in context.bool("isfeatured") },
                accounts: context.string("accounts")?.split(separator: ",").map {
                    $0.trimmingCharacters(in: .whitespaces)
                },
                operation: context.string("op")?.lowercased()
            )
        )
        return .flat([("success", .bool(true))])
    }
}
