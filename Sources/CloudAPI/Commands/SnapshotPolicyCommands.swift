import CloudCore
import CloudModel
import Foundation

/// Recurring snapshot schedules: createSnapshotPolicy, listSnapshotPolicies and deleteSnapshotPolicies. ZooStack
/// stores and lists the schedules; it does not run them on a timer.
enum SnapshotPolicyCommands {
    static var all: [CommandDescriptor] { [createSnapshotPolicy, listSnapshotPolicies, deleteSnapshotPolicies] }

    static func render(_ policy: SnapshotPolicy) -> APIValue {
        .object([
            ("id", .string(policy.id)), ("volumeid", .string(policy.volumeId)),
            ("schedule", .string(policy.schedule)),
            ("intervaltype", .int(SnapshotSchedule.intervals.firstIndex(of: policy.intervalType) ?? 0)),
            ("maxsnaps", .int(policy.maxSnaps)), ("timezone", .string(policy.timezone)),
            ("fordisplay", .bool(true)), ("tags", .array([])),
        ])
    }

    static let createSnapshotPolicy = CommandDescriptor(
        "createSnapshotPolicy",
        "Creates a snapshot policy for the account.",
        events: .records(CommandEvent(.snapshotPolicyCreate, "creating snapshot policy", .snapshotPolicy)),
        parameters: [
            ParameterDescriptor("volumeid", .uuid, required: true, "the ID of the disk volume"),
            ParameterDescriptor(
                "intervaltype",
                .string,
                required: true,
                "valid values are HOURLY, DAILY, WEEKLY, and MONTHLY"
            ),
            ParameterDescriptor("schedule", .string, required: true, "time the snapshot is scheduled to be taken."),
            ParameterDescriptor("timezone", .string, required: true, "Specifies a timezone for this command."),
            ParameterDescriptor("maxsnaps", .integer, required: true, "maximum number of snapshots to retain"),
            ParameterDescriptor("fordisplay", .boolean, "an optional field, whether to the display the policy"),
        ]
    ) { context in
        let policy = try await context.core.snapshotPolicies.create(
            context.access,
            SnapshotPolicyService.CreateRequest(
                volumeId: try context.required("volumeid"),
                intervalType: try context.required("intervaltype"),
                schedule: try context.required("schedule"),
                timezone: try context.required("timezone"),
                maxSnaps: context.int("maxsnaps")
            )
        )
        return .object(name: "snapshotpolicy", Self.render(policy))
    }

    static let listSnapshotPolicies = CommandDescriptor(
        "listSnapshotPolicies",
        "Lists snapshot policies.",
        parameters: ListParameters.all + [
            ParameterDescriptor("volumeid", .uuid, "the ID of the disk volume"),
            ParameterDescriptor("fordisplay", .boolean, "list resources by display flag"),
        ]
    ) { context in
        let page = try await context.core.snapshotPolicies.list(
            context.access,
            context.listRequest,
            volumeId: context.string("volumeid")
        )
        return .list(item: "snapshotpolicy", total: page.total, items: page.items.map(Self.render))
    }

    static let deleteSnapshotPolicies = CommandDescriptor(
        "deleteSnapshotPolicies",
        "Deletes snapshot policies for the account.",
        events: .records(CommandEvent(.snapshotPolicyDelete, "deleting snapshot policies")),
        parameters: [
            ParameterDescriptor("id", .uuid, "the Id of the snapshot policy"),
            ParameterDescriptor("ids", .list, "the Ids of the snapshot policies"),
        ]
    ) { context in
        var ids = context.string("ids")?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } ?? []
        if let id = context.string("id") { ids.append(id) }
        try await context.core.snapshotPolicies.delete(context.access, ids: ids)
        return .flat([("success", .bool(true))])
    }
}
