import CloudCore
import CloudModel
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
        try await context.core.eventHistory.archive(context.access, Self.logSelection(context))
        return .flat([("success", .string("true"))])
    }

    static let delete = CommandDescriptor(
        "deleteEvents",
        "Delete one or more events.",
        events: .unrecorded("maintains the event log itself"),
        parameters: Self.selection
    ) { context in
        try await context.core.eventHistory.delete(context.access, Self.logSelection(context))
        return .flat([("success", .string("true"))])
    }

    /// The entries `ids`/`type`/`startdate`/`enddate` select (events and alerts alike).
    static func logSelection(_ context: CommandContext) -> LogSelection {
        LogSelection(
            ids: context.string("ids").map { $0.split(separator: ",").map(String.init) },
            type: context.string("type"),
            dates: Self.dates(context)
        )
    }

    /// `startdate`/`enddate`, parsed (`enddate` without a time means the end of that day); the core refuses a
    /// text that does not parse when it applies the range.
    static func dates(_ context: CommandContext) -> LogDateRange {
        LogDateRange(
            start: context.string("startdate").map { text in DateFormat.parse(text).map { .at($0) } ?? .invalid(text) },
            end: context.string("enddate").map { text in
                DateFormat.parse(text, endOfDay: true).map { .at($0) } ?? .invalid(text)
            }
        )
    }
}
