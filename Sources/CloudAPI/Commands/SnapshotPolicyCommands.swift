import CloudCore
import CloudModel
import CloudStore
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
        let volume = try await VolumeCommands.accessibleVolume(context, "volumeid")
        let text = try context.required("intervaltype")
        guard let interval = SnapshotSchedule.interval(text) else {
            throw CloudError(.paramError, csErrorCode: 4350, "Unsupported interval type \(text)")
        }
        let schedule = try context.required("schedule")
        guard SnapshotSchedule.isValid(schedule, for: interval) else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Invalid schedule: \(schedule) for interval type: \(interval)"
            )
        }
        let timezone = try context.required("timezone")
        guard TimeZone(identifier: timezone) != nil else {
            throw CloudError.invalidParameter(context.command, "timezone", timezone)
        }
        guard let maxSnaps = context.int("maxsnaps"), maxSnaps > 0 else {
            throw CloudError(.paramError, csErrorCode: 4350, "maxSnaps should be greater than 0")
        }
        let store = context.server.store
        let existing = try await store.list(
            SnapshotPolicy.self,
            ListQuery(equals: [("volume_id", volume.id), ("interval_type", interval)])
        ).items.first
        // CloudStack updates the volume's policy of the same interval instead of adding a second one.
        let policy = SnapshotPolicy(
            id: existing?.id ?? UUID().uuidString.lowercased(),
            volumeId: volume.id,
            accountId: volume.accountId ?? context.caller.account.id,
            intervalType: interval,
            schedule: schedule,
            timezone: timezone,
            maxSnaps: maxSnaps,
            created: existing?.created ?? Timestamp.now
        )
        if existing == nil {
            try await store.insert(policy)
        } else {
            try await store.replace(policy, id: policy.id)
        }
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
        var filters: [(column: String, value: String)] = []
        if let volumeId = context.string("volumeid") {
            _ = try await VolumeCommands.accessibleVolume(context, "volumeid")
            filters.append(("volume_id", volumeId))
        } else if context.string("id") == nil {
            throw CloudError(.paramError, csErrorCode: 4350, "Either volume Id or policy Id has to be specified.")
        }
        var query = try context.listQuery(filters)
        if context.caller.role != .rootAdmin { query.equals.append(("account_id", context.caller.account.id)) }
        let page = try await context.server.store.list(SnapshotPolicy.self, query)
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
        guard !ids.isEmpty else {
            throw CloudError(.paramError, csErrorCode: 4350, "Either policy id or policy ids have to be specified.")
        }
        let store = context.server.store
        for id in ids {
            guard let policy = try await store.get(SnapshotPolicy.self, id: id) else {
                throw CloudError(.paramError, csErrorCode: 4350, "Policy id given: \(id) does not exist")
            }
            guard try await context.mayAccess(accountId: policy.accountId) else {
                throw CommandContext.permissionDenied(
                    "Account \(context.caller.account.name) does not have permission to operate on policy \(id)"
                )
            }
        }
        try await store.deleteSnapshotPolicies(ids)
        return .flat([("success", .bool(true))])
    }
}
