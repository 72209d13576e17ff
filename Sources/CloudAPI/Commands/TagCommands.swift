import CloudCore
import CloudModel
import CloudStore
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

    /// Resolves `resourcetype` and checks that every resource exists and the caller may tag it.
    /// - Returns: the canonical type name, and each resource id with its owner.
    static func resources(_ context: CommandContext) async throws -> (type: String, owners: [(String, String)]) {
        let typeName = try context.required("resourcetype")
        guard let (type, table) = TaggableResources.resolve(typeName) else {
            throw CloudError(.paramError, csErrorCode: 4350, "Invalid resource type \(typeName)")
        }
        let ids = try context.required("resourceids").split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        var owners: [(String, String)] = []
        for id in ids where !id.isEmpty {
            guard let owner = try await context.server.store.owner(ofResource: id, table: table) else {
                throw CloudError(
                    .paramError,
                    csErrorCode: 4350,
                    "Unable to find resource by id \(id) and type \(type)"
                )
            }
            if context.caller.role != .rootAdmin && owner != context.caller.account.id {
                throw CloudError(
                    .accountError,
                    csErrorCode: 4365,
                    "Account \(context.caller.account.name) does not have permission to operate on resource \(id)"
                )
            }
            owners.append((id, owner))
        }
        guard !owners.isEmpty else { throw CloudError.missingParameter(context.command, "resourceids") }
        return (type, owners)
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
        let (type, owners) = try await Self.resources(context)
        let customer = context.string("customer")
        let tags = owners.flatMap { id, owner in
            pairs.map { pair in
                ResourceTag(
                    id: UUID().uuidString.lowercased(),
                    key: pair.key,
                    value: pair.value ?? "",
                    resourceId: id,
                    resourceType: type,
                    accountId: owner,
                    customer: customer,
                    created: Timestamp.now
                )
            }
        }
        let store = context.server.store
        return try await context.submitJob(instanceType: "None", instanceId: nil) {
            do {
                try await store.insertTags(tags)
            } catch let error as StoreError where error.kind == .duplicate {
                throw CloudError(
                    .paramError,
                    csErrorCode: 4350,
                    "A tag with one of the keys \(pairs.map(\.key).joined(separator: ", ")) already exists on a \(type) in \(owners.map(\.0).joined(separator: ","))"
                )
            }
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
        let (type, owners) = try await Self.resources(context)
        let keys: [(key: String, value: String?)] = context.parameters.indexedMap("tags").compactMap { entry in
            guard let key = entry.field("key"), !key.isEmpty else { return nil }
            return (key, entry.field("value").flatMap { $0.isEmpty ? nil : $0 })
        }
        let store = context.server.store
        return try await context.submitJob(instanceType: "None", instanceId: nil) {
            try await store.deleteTags(resourceIds: owners.map(\.0), resourceType: type, keys: keys)
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
        var query = try context.listQuery()
        query.equals = context.ownership
        query.idIn = nil
        if let keyword = query.keyword, !keyword.isEmpty {
            query.equals.append(("\"key\"", keyword))
        }
        query.keyword = nil
        if let typeName = context.string("resourcetype") {
            query.equals.append(("resource_type", TaggableResources.resolve(typeName)?.name ?? typeName))
        }
        for (parameter, column) in [
            ("resourceid", "resource_id"), ("key", "\"key\""), ("value", "\"value\""), ("customer", "customer"),
        ] {
            if let value = context.string(parameter) { query.equals.append((column, value)) }
        }
        let page = try await context.server.store.list(ResourceTag.self, query)
        var accounts: [String: Account] = [:]
        for id in Set(page.items.map(\.accountId)) {
            accounts[id] = try await context.server.store.get(Account.self, id: id)
        }
        return .list(
            item: "tag",
            total: page.total,
            items: page.items.map { Self.render($0, account: accounts[$0.accountId]) }
        )
    }
}
