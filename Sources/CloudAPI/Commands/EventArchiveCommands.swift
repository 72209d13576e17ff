import CloudCore
import CloudModel
import CloudStore
import Orchestrator

/// archiveEvents and deleteEvents: by ids, type and date range, within the caller's reach (the root admin every
/// event, a domain admin its subtree's, a user its own account's).
enum EventArchiveCommands {
    static var all: [CommandDescriptor] { [archive, delete] }

    static let selection: [ParameterDescriptor] = [
        ParameterDescriptor("ids", .list, "the IDs of the events"),
        ParameterDescriptor("type", .string, "the event type"),
        ParameterDescriptor("startdate", .string, "the start date range (use format \"yyyy-MM-dd\")"),
        ParameterDescriptor("enddate", .string, "the end date range (use format \"yyyy-MM-dd\")"),
    ]

    static let archive = CommandDescriptor(
        "archiveEvents",
        "Archive one or more events.",
        events: .unrecorded("maintains the event log itself"),
        parameters: Self.selection
    ) { context in
        let events = try await Self.selected(context, verb: "archive")
        try await context.server.store.archive(Event.self, ids: events.map(\.id))
        return .flat([("success", .string("true"))])
    }

    static let delete = CommandDescriptor(
        "deleteEvents",
        "Delete one or more events.",
        events: .unrecorded("maintains the event log itself"),
        parameters: Self.selection
    ) { context in
        let events = try await Self.selected(context, verb: "delete")
        try await context.server.store.deleteLogEntries(Event.self, ids: events.map(\.id))
        return .flat([("success", .string("true"))])
    }

    /// The events `ids`/`type`/`startdate`/`enddate` select within the caller's reach.
    /// - Throws: 431 without a selection or with a bad date; 530 when some of `ids` is not an event the caller
    ///   may touch (CloudStack's "one or more parameters has invalid values").
    static func selected(_ context: CommandContext, verb: String) async throws -> [Event] {
        await context.server.events.flush()
        let ids = context.string("ids").map { $0.split(separator: ",").map(String.init) }
        guard ids != nil || context.string("type") != nil || context.string("enddate") != nil else {
            throw CloudError(.paramError, csErrorCode: 4350, "either ids, type or enddate must be specified")
        }
        var query = ListQuery(idIn: ids)
        if let type = context.string("type") { query.equals.append(("type", type.uppercased())) }
        try Self.dateRange(context, into: &query)
        switch context.caller.role {
        case .rootAdmin:
            break
        case .domainAdmin:
            query.domainScope = DomainScope(
                column: .account("account_id"),
                path: try await context.callerDomain().path,
                recursive: true
            )
        case .user:
            query.equals.append(("account_id", context.caller.account.id))
        }
        let events = try await context.server.store.list(Event.self, query).items
        if let ids, Set(events.map(\.id)).count < Set(ids).count {
            throw CloudError(
                .internalError,
                "Unable to \(verb) Events, one or more parameters has invalid values"
            )
        }
        return events
    }

    /// Adds `startdate`/`enddate` to a query on `column` (`enddate` without a time means the end of that day).
    /// - Throws: 431 naming a date that does not parse, or a `startdate` without `enddate` when `required`.
    static func dateRange(
        _ context: CommandContext,
        into query: inout ListQuery,
        column: String = "created"
    ) throws(CloudError) {
        if let text = context.string("startdate") {
            guard let start = DateFormat.parse(text) else {
                throw .invalidParameter(context.command, "startdate", text)
            }
            query.atLeast.append((column, start))
        }
        if let text = context.string("enddate") {
            guard let end = DateFormat.parse(text, endOfDay: true) else {
                throw .invalidParameter(context.command, "enddate", text)
            }
            query.atMost.append((column, end))
        }
    }
}
