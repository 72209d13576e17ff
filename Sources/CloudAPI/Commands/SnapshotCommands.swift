import CloudCore
import CloudModel
import CloudStore
import Foundation
import Orchestrator

/// Volume snapshots: createSnapshot (BackingUp → BackedUp in its job), listSnapshots, deleteSnapshot and
/// revertSnapshot.
enum SnapshotCommands {
    static var all: [CommandDescriptor] {
        [createSnapshot, listSnapshots, deleteSnapshot, revertSnapshot] + SnapshotPolicyCommands.all
    }

    /// Loads the snapshot named by `parameter`, refusing other accounts' snapshots (531).
    static func accessibleSnapshot(_ context: CommandContext, _ parameter: String = "id") async throws -> Snapshot {
        let snapshot = try await context.entity(Snapshot.self, parameter)
        guard try await context.mayAccess(accountId: snapshot.accountId) else {
            throw CommandContext.permissionDenied(
                "Account \(context.caller.account.name) does not have permission to operate on snapshot \(snapshot.id)"
            )
        }
        return snapshot
    }

    /// Renders a page of snapshots with their owners, zones and tags.
    static func render(_ snapshots: [Snapshot], _ context: CommandContext) async throws -> [APIValue] {
        let store = context.server.store
        let accountIds = Array(Set(snapshots.map(\.accountId)))
        let accounts = accountIds.isEmpty ? [] : try await store.list(Account.self, ListQuery(idIn: accountIds)).items
        let byId = Dictionary(accounts.map { ($0.id, $0) }) { first, _ in first }
        let domains = try await AccountResponses.domains(of: accounts, store: store)
        let zoneIds = Array(Set(snapshots.map(\.zoneId)))
        let zones = zoneIds.isEmpty ? [] : try await store.list(Zone.self, ListQuery(idIn: zoneIds)).items
        let zoneNames = Dictionary(zones.map { ($0.id, $0.name) }) { first, _ in first }
        let tags = try await store.tags(of: snapshots.map(\.id), resourceType: "Snapshot")
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
                ("physicalsize", .int(snapshot.size)), ("virtualsize", .int(snapshot.size)),
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
        let volume = try await VolumeCommands.accessibleVolume(context, "volumeid")
        guard volume.state == "Ready" else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "VolumeId: \(volume.id) is not in Ready state but \(volume.state). Cannot take snapshot."
            )
        }
        let store = context.server.store
        var interval = "MANUAL"
        if let policyId = context.string("policyid") {
            guard let policy = try await store.get(SnapshotPolicy.self, id: policyId), policy.volumeId == volume.id
            else { throw CloudError.invalidParameter(context.command, "policyid", policyId) }
            interval = policy.intervalType
        }
        var vmName: String? = nil
        if let vmId = volume.vmId { vmName = try await store.get(VirtualMachine.self, id: vmId)?.name }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMddHHmmss"
        let stamp = formatter.string(from: Date())
        let snapshot = Snapshot(
            id: UUID().uuidString.lowercased(),
            name: context.string("name") ?? ([vmName, volume.name].compactMap { $0 } + [stamp]).joined(separator: "_"),
            volumeId: volume.id,
            volumeName: volume.name,
            volumeType: volume.type,
            accountId: volume.accountId ?? context.caller.account.id,
            zoneId: volume.zoneId,
            size: volume.size,
            state: "BackingUp",
            intervalType: interval,
            created: Timestamp.now
        )
        try await context.withinLimits(of: snapshot.accountId, [.snapshot: 1, .secondaryStorage: snapshot.size]) {
            try await store.insert(snapshot)
        }
        return try await context.submitJob(instanceType: "Snapshot", instanceId: snapshot.id, returnsId: true) {
            try await store.setSnapshotState(id: snapshot.id, state: "BackedUp")
            var done = snapshot
            done.state = "BackedUp"
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
        var filters: [(column: String, value: String)] = []
        if let volume = context.string("volumeid") { filters.append(("volume_id", volume)) }
        if let zone = context.string("zoneid") { filters.append(("zone_id", zone)) }
        if let interval = context.string("intervaltype") { filters.append(("interval_type", interval.uppercased())) }
        if context.string("snapshottype")?.uppercased() == "MANUAL" { filters.append(("interval_type", "MANUAL")) }
        var query = try await context.scopedListQuery(filters)
        query.tags = context.tagPairs
        query.tagResourceType = "Snapshot"
        var page = try await context.server.store.list(Snapshot.self, query)
        if context.string("snapshottype")?.uppercased() == "RECURRING" {
            page.items = page.items.filter { $0.intervalType != "MANUAL" }
            page.total = page.items.count
        }
        return .list(item: "snapshot", total: page.total, items: try await Self.render(page.items, context))
    }

    static let deleteSnapshot = CommandDescriptor(
        "deleteSnapshot",
        "Deletes a snapshot of a disk volume.",
        isAsync: true,
        events: .records(CommandEvent(.snapshotDelete, "deleting snapshot", .snapshot)),
        parameters: [ParameterDescriptor("id", .uuid, required: true, "The ID of the snapshot")]
    ) { context in
        let snapshot = try await Self.accessibleSnapshot(context)
        guard snapshot.state != "BackingUp" else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Can't delete snapshot \(snapshot.id) with state BackingUp"
            )
        }
        let store = context.server.store
        return try await context.submitJob(instanceType: "Snapshot", instanceId: snapshot.id) {
            try await store.delete(Snapshot.self, id: snapshot.id)
            try await store.deleteTags(resourceIds: [snapshot.id], resourceType: "Snapshot", keys: [])
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
        let snapshot = try await Self.accessibleSnapshot(context)
        guard snapshot.state == "BackedUp" else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Snapshot \(snapshot.id) is not in BackedUp state, so it cannot be reverted"
            )
        }
        let store = context.server.store
        guard let volume = try await store.get(Volume.self, id: snapshot.volumeId) else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Unable to revert snapshot \(snapshot.id): its volume no longer exists"
            )
        }
        if let vmId = volume.vmId, let vm = try await store.get(VirtualMachine.self, id: vmId), vm.state != .stopped {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "The VM the specified disk is attached to is not in the shutdown state."
            )
        }
        let service = context.volumes
        return try await context.submitJob(instanceType: "Snapshot", instanceId: snapshot.id) {
            if volume.size != snapshot.size {
                _ = try await service.resize(volume, to: snapshot.size, diskOfferingId: nil, shrinkOk: true)
            }
            return ("snapshot", try await Self.render([snapshot], context)[0])
        }
    }
}
