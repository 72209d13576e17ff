import CloudCore
import CloudModel
import Foundation

/// createTags, deleteTags and listTags (CloudStack's TaggedResourceService). Both changes are async jobs.
enum TagCommands {
    static var all: [CommandDescriptor] { [createTags, deleteTags, listTags] }

    /// The `tag` response object (ResourceTagResponse).
    static func render(_ tag: ResourceTag, account: Account?) -> APIValue {
        var fields: [(String, APIValue)] = [
            ("key", .string(tag.key)), ("value", .string(tag.value)), ("resourcetype", .string(tag.resourceType)),
            ("resourceid", .string(tag.resourceId)), ("account", .string(account?.name ?? "")),
            ("domainid", .string(account?.domainId ?? "")), ("domain", .string("ROOT")),
        ]
        if let customer = tag.customer { fields.append(("customer", .string(customer))) }
        return .object(fields)
    }

    /// Resolves `resourcetype` and checks that every resource of `resourceids` exists and the caller may tag it.
    static func resources(_ context: CommandContext) async throws -> TagService.Resources {
        let ids = try context.required("resourceids").split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        return try await context.core.tags.resources(
            context.access,
            type: try context.required("resourcetype"),
            ids: ids
        )
    }

    static let createTags = CommandDescriptor(
        "createTags",
        "Creates resource tag(s)",
        isAsync: true,
        events: .records(CommandEvent(.createTags, "creating tags")),
        parameters: [
            ParameterDescriptor("resourceids", .list, required: true, "list of resources to create the tags for"),
            ParameterDescriptor("resourcetype", .string, required: true, "type of the resource (UserVm, Template)"),
            ParameterDescriptor("tags", .map, required: false, "Map of tags (key/value pairs)"),
            ParameterDescriptor("customer", .string, "identifies client specific tag"),
        ]
    ) { context in
        let pairs = context.tagPairs
        guard !pairs.isEmpty else { throw CloudError.missingParameter(context.command, "tags") }
        for pair in pairs where pair.value == nil {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Value for the key \(pair.key) is either null or empty"
            )
        }
        let resources = try await Self.resources(context)
        let customer = context.string("customer")
        let tags = context.core.tags
        let values = pairs.map { (key: $0.key, value: $0.value ?? "") }
        return try await context.submitJob(instanceType: "None", instanceId: nil) {
            try await tags.create(resources, pairs: values, customer: customer)
            return ("success", .bool(true))
        }
    }

    static let deleteTags = CommandDescriptor(
        "deleteTags",
        "Deleting resource tag(s)",
        isAsync: true,
        events: .records(CommandEvent(.deleteTags, "deleting tags")),
        parameters: [
            ParameterDescriptor("resourceids", .list, required: true, "Delete tags for resource id(s)"),
            ParameterDescriptor("resourcetype", .string, required: true, "Delete tag by resource type"),
            ParameterDescriptor("tags", .map, "Delete tags matching key/value pairs"),
        ]
    ) { context in
        let resources = try await Self.resources(context)
        let keys = context.tagPairs
        let tags = context.core.tags
        return try await context.submitJob(instanceType: "None", instanceId: nil) {
            try await tags.delete(resources, keys: keys)
            return ("success", .bool(true))
        }
    }

    static let listTags = CommandDescriptor(
        "listTags",
        "List resource tag(s)",
        parameters: [
            ParameterDescriptor("resourceid", .string, "list by resource id"),
            ParameterDescriptor("resourcetype", .string, "list by resource type"),
            ParameterDescriptor("key", .string, "list by key"),
            ParameterDescriptor("value", .string, "list by value"),
            ParameterDescriptor("customer", .string, "list by customer name"),
            ParameterDescriptor("listall", .boolean, "list all resources the caller may see"),
            ParameterDescriptor("page", .integer, "the page to return"),
            ParameterDescriptor("pagesize", .integer, "the number of items per page"),
            ParameterDescriptor("keyword", .string, "List by keyword"),
        ]
    ) { context in
        let tags = context.core.tags
        let filter = TagService.Filter(
            resourceId: context.string("resourceid"),
            resourceType: context.string("resourcetype"),
            key: context.string("key"),
            value: context.string("value"),
            customer: context.string("customer")
        )
        let page = try await tags.list(context.access, context.listRequest, filter)
        let accounts = try await tags.accounts(of: page.items)
        return .list(
            item: "tag",
            total: page.total,
            items: page.items.map { Self.render($0, account: accounts[$0.accountId]) }
        )
    }
}
