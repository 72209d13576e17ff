import CloudCore
import CloudModel

/// Instance groups: createInstanceGroup, listInstanceGroups, updateInstanceGroup, deleteInstanceGroup
/// (``InstanceGroupService`` applies CloudStack's rules). CloudStack records no event for them.
enum InstanceGroupCommands {
    static var all: [CommandDescriptor] { [create, list, update, delete] }

    static let unrecorded = CommandDescriptor.EventRecording.unrecorded(
        "CloudStack's instance group commands record no event"
    )

    /// InstanceGroupResponse objects, loading the groups' owners once.
    static func render(_ groups: [InstanceGroup], core: CloudServices) async throws -> [APIValue] {
        guard !groups.isEmpty else { return [] }
        let owners = try await OwnerNames.load(groups.map(\.accountId), core: core)
        return groups.map { group in
            let domain = owners.accounts[group.accountId].flatMap { owners.domains[$0.domainId] }
            return .object(
                [
                    ("id", .string(group.id)), ("name", .string(group.name)),
                    ("created", .string(DateFormat.string(group.created))),
                ] + owners.fields(group.accountId) + [
                    ("domainpath", .string(domain?.displayPath ?? "ROOT")), ("hasannotations", .bool(false)),
                ]
            )
        }
    }

    static let create = CommandDescriptor(
        "createInstanceGroup",
        "Creates a vm group",
        events: unrecorded,
        parameters: [
            ParameterDescriptor("name", .string, required: true, "the name of the instance group"),
            ParameterDescriptor(
                "account",
                .string,
                "the account of the instance group. The account parameter must be used with the domainId parameter."
            ),
            ParameterDescriptor("domainid", .uuid, "the domain ID of account owning the instance group"),
            ParameterDescriptor("projectid", .uuid, "The project of the instance group"),
        ]
    ) { context in
        let group = try await context.core.instanceGroups.create(
            context.access,
            owner: context.owner,
            name: try context.required("name")
        )
        return .object(name: "instancegroup", try await Self.render([group], core: context.core)[0])
    }

    static let list = CommandDescriptor(
        "listInstanceGroups",
        "Lists vm groups",
        parameters: ListParameters.all + ListParameters.scope
    ) { context in
        let page = try await context.core.instanceGroups.list(context.access, context.listRequest)
        let items = try await Self.render(page.items, core: context.core)
        return .list(item: "instancegroup", total: page.total, items: items)
    }

    static let update = CommandDescriptor(
        "updateInstanceGroup",
        "Updates a vm group",
        events: unrecorded,
        parameters: [
            ParameterDescriptor("id", .uuid, required: true, "Instance group ID"),
            ParameterDescriptor("name", .string, "new instance group name"),
        ]
    ) { context in
        let group = try await context.core.instanceGroups.update(
            context.access,
            id: try context.required("id"),
            name: context.string("name")
        )
        return .object(name: "instancegroup", try await Self.render([group], core: context.core)[0])
    }

    static let delete = CommandDescriptor(
        "deleteInstanceGroup",
        "Deletes a vm group",
        events: unrecorded,
        parameters: [ParameterDescriptor("id", .uuid, required: true, "the ID of the instance group")]
    ) { context in
        try await context.core.instanceGroups.delete(context.access, id: try context.required("id"))
        return .flat([("success", .bool(true))])
    }
}
