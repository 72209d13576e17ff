import CloudCore
import CloudModel
import Orchestrator

/// listEvents and listEventTypes over the event log (archiveEvents/deleteEvents: ``EventArchiveCommands``).
enum EventCommands {
    static var all: [CommandDescriptor] { [list, types] + EventArchiveCommands.all }

    static let list = CommandDescriptor(
        "listEvents",
        "A command to list events.",
        parameters: ListParameters.all + ListParameters.scope + [
            ParameterDescriptor("type", .string, "the event type (see event types)"),
            ParameterDescriptor("level", .string, "the event level (INFO, WARN, ERROR)"),
            ParameterDescriptor("startdate", .string, "the start date range of the list you want to retrieve"),
            ParameterDescriptor("enddate", .string, "the end date range of the list you want to retrieve"),
            ParameterDescriptor("duration", .integer, "the duration of the event"),
            ParameterDescriptor("entrytime", .integer, "the time the event was entered"),
            ParameterDescriptor("archived", .boolean, "true to list archived events otherwise false"),
            ParameterDescriptor("startid", .uuid, "the parent/start ID of the event"),
            ParameterDescriptor("resourceid", .string, "the ID of the resource associated with the event"),
            ParameterDescriptor("resourcetype", .string, "the type of the resource associated with the event"),
        ]
    ) { context in
        let filter = EventFilter(
            archived: context.bool("archived"),
            type: context.string("type"),
            level: context.string("level"),
            startId: context.string("startid"),
            resourceId: context.string("resourceid"),
            resourceType: context.string("resourcetype"),
            dates: EventArchiveCommands.dates(context),
            duration: context.int("duration"),
            entryTime: context.int("entrytime")
        )
        let page = try await context.core.eventHistory.list(context.access, context.listRequest, filter)
        return .list(item: "event", total: page.total, items: try await Self.render(context, page.items))
    }

    /// EventResponse objects, loading the page's users, accounts and domains once.
    static func render(_ context: CommandContext, _ events: [Event]) async throws -> [APIValue] {
        let owners = try await context.core.eventHistory.owners(of: events)
        let accountById = owners.accounts
        let userById = owners.users
        let domainById = owners.domains
        return events.map { event -> APIValue in
            let account = accountById[event.accountId]
            let username = event.userId.flatMap { userById[$0]?.username } ?? account?.name ?? "system"
            var fields: [(String, APIValue)] = [
                ("id", .string(event.id)), ("username", .string(username)), ("type", .string(event.type)),
                ("level", .string(event.level)), ("description", .string(event.description)),
                ("account", .string(account?.name ?? "system")),
            ]
            if let account {
                fields.append(("domainid", .string(account.domainId)))
                fields.append(("domain", .string(domainById[account.domainId]?.name ?? "")))
            }
            if let resourceId = event.resourceId { fields.append(("resourceid", .string(resourceId))) }
            if let resourceType = event.resourceType { fields.append(("resourcetype", .string(resourceType))) }
            fields.append(("created", .string(DateFormat.string(event.created))))
            fields.append(("state", .string(event.state)))
            if let startId = event.startId { fields.append(("parentid", .string(startId))) }
            fields.append(("archived", .bool(event.archived)))
            return .object(fields)
        }
    }

    static let types = CommandDescriptor(
        "listEventTypes",
        "List Event Types",
        parameters: []
    ) { _ in
        let types = EventType.all.map(\.rawValue).sorted()
        return .list(item: "eventtype", total: types.count, items: types.map { .object([("name", .string($0))]) })
    }
}
