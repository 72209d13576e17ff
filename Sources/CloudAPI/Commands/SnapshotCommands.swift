import CloudCore
import CloudModel

/// Volume snapshots: createSnapshot (BackingUp → BackedUp in its job), listSnapshots, deleteSnapshot and
/// revertSnapshot.
enum SnapshotCommands {
    static var all: [CommandDescriptor] {
        [createSnapshot, listSnapshots, deleteSnapshot, revertSnapshot] + SnapshotPolicyCommands.all
    }

    /// Renders a page of snapshots with their owners, zones and tags.
    static func render(_ snapshots: [Snapshot], _ context: CommandContext) async throws -> [APIValue] {
        let related = try await context.core.snapshots.relations(of: snapshots)
        let byId = related.owners.accounts
        let domains = related.owners.domains
        let zoneNames = related.zoneNames
        let tags = related.tags
        return snapshots.map { snapshot in
            let account = byId[snapshot.accountId]
            return .object([
                ("id", .string(snapshot.id)), ("account", .string(account?.name ?? "")),
                ("domainid", .string(account?.domainId ?? "")),
                ("domain", .string(account.flatMap { domains[$0.domainId]?.name } ?? "ROOT")),
                ("snapshottype", .string(snapshot.intervalType)), ("volumeid", .string(snapshot.volumeId)),
                ("volumename", .string(snapshot.volumeName)), ("volumetype", .string(snapshot.volumeType)),
                ("created", .string(DateFormat.string(snapshot.created))), ("name", .string(snapshot.name)),
                ("intervaltype", .string(snapshot.intervalType)), ("state", .string(snapshot.state)),
                ("zoneid", .string(snapshot.zoneId)), ("zonename", .string(zoneNames[snapshot.zoneId] ?? "")),
                ("physicalsize", .int(snapshot.physicalSize ?? snapshot.size)), ("virtualsize", .int(snapshot.size)),
                ("revertable", .bool(true)), ("locationtype", .string("SECONDARY")),
                ("tags", .array((tags[snapshot.id] ?? []).map { TagCommands.render($0, account: account) })),
            ])
        }
    }

    static let createSnapshot = CommandDescriptor(
        "createSnapshot",
        "Creates an instant snapshot of a volume.",
        isAsync: true,
        events: .records(CommandEvent(.snapshotCreate, "creating snapshot", .snapshot)),
        parameters: [
            ParameterDescriptor("volumeid", .uuid, required: true, "The ID of the disk volume"),
            ParameterDescriptor("name", .string, "the name of the snapshot"),
            ParameterDescriptor(
                "policyid",
                .uuid,
                "policy id of the snapshot, if this is null, then use MANUAL_POLICY."
            ),
            ParameterDescriptor("quiescevm", .boolean, "quiesce vm if true"),
            ParameterDescriptor("asyncbackup", .boolean, "asynchronous backup if true"),
            ParameterDescriptor("account", .string, "The account of the snapshot."),
            ParameterDescriptor("domainid", .uuid, "The domain ID of the snapshot."),
        ]
    ) { context in
        let snapshots = context.core.snapshots
        let snapshot = try await snapshots.create(
            context.access,
            volumeId: try context.required("volumeid"),
            name: context.string("name"),
            policyId: context.string("policyid")
        )
        return try await context.submitJob(instanceType: "Snapshot", instanceId: snapshot.id, returnsId: true) {
            let done = try await snapshots.backUp(snapshot)
            return ("snapshot", try await Self.render([done], context)[0])
        }
    }

    static let listSnapshots = CommandDescriptor(
        "listSnapshots",
        "Lists all available snapshots for the account.",
        parameters: ListParameters.all + ListParameters.scope + [
            ParameterDescriptor("volumeid", .uuid, "the ID of the disk volume"),
            ParameterDescriptor("intervaltype", .string, "valid values are HOURLY, DAILY, WEEKLY, and MONTHLY."),
            ParameterDescriptor("snapshottype", .string, "valid values are MANUAL or RECURRING."),
            ParameterDescriptor("zoneid", .uuid, "list snapshots by zone id"),
            ParameterDescriptor("tags", .map, "List resources by tags (key/value pairs)"),
        ]
    ) { context in
        let page = try await context.core.snapshots.list(
            context.access,
            context.listRequest,
            SnapshotService.ListFilters(
                volumeId: context.string("volumeid"),
                zoneId: context.string("zoneid"),
                intervalType: context.string("intervaltype"),
                snapshotType: context.string("snapshottype")
            )
        )
        return .list(item: "snapshot", total: page.total, items: try await Self.render(page.items, context))
    }

    static let deleteSnapshot = CommandDescriptor(
        "deleteSnapshot",
        "Deletes a snapshot of a disk volume.",
        isAsync: true,
        events: .records(CommandEvent(.snapshotDelete, "deleting snapshot", .snapshot)),
        parameters: [ParameterDescriptor("id", .uuid, required: true, "The ID of the snapshot")]
    ) { context in
        let snapshots = context.core.snapshots
        let snapshot = try await snapshots.prepareDelete(context.access, id: try context.required("id"))
        return try await context.submitJob(instanceType: "Snapshot", instanceId: snapshot.id) {
            try await snapshots.delete(snapshot)
            return ("success", .bool(true))
        }
    }

    static let revertSnapshot = CommandDescriptor(
        "revertSnapshot",
        "This is supposed to revert a volume snapshot. This command is only supported with KVM so far",
        isAsync: true,
        events: .records(CommandEvent(.snapshotRevert, "reverting snapshot", .snapshot)),
        parameters: [ParameterDescriptor("id", .uuid, required: true, "The ID of the snapshot")]
    ) { context in
        let snapshots = context.core.snapshots
        let (snapshot, volume) = try await snapshots.prepareRevert(context.access, id: try context.required("id"))
        return try await context.submitJob(instanceType: "Snapshot", instanceId: snapshot.id) {
            try await snapshots.revert(snapshot, volume: volume)
            return ("snapshot", try await Self.render([snapshot], context)[0])
        }
    }
}
