import CloudCore
import CloudModel
import CloudStore
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
        await context.server.events.flush()
        var filters: [(column: String, value: String)] = [("archived", context.bool("archived") ? "1" : "0")]
        if let type = context.string("type") { filters.append(("type", type.uppercased())) }
        if let level = context.string("level") { filters.append(("level", level.uppercased())) }
        if let start = context.string("startid") { filters.append(("start_id", start)) }
        if let resource = context.string("resourceid") { filters.append(("resource_id", resource)) }
        if let resourceType = context.string("resourcetype") { filters.append(("resource_type", resourceType)) }
        var query = try await context.scopedListQuery(filters)
        // Events have no name: the keyword matches descriptions.
        query.equals.removeAll { $0.column == "name" }
        query.keywordColumn = "description"
        query.newestFirst = true
        try EventArchiveCommands.dateRange(context, into: &query)
        let page: ListPage<Event>
        if let duration = context.int("duration"), let entryTime = context.int("entrytime") {
            page = try await Self.pending(context, query: query, duration: duration, entryTime: entryTime)
        } else {
            page = try await context.server.store.list(Event.self, query)
        }
        return .list(item: "event", total: page.total, items: try await Self.render(context, page.items))
    }

    /// CloudStack's pending events: `Started` events entered between `entrytime` and `duration` seconds ago whose
    /// job has no `Completed` event yet.
    static func pending(
        _ context: CommandContext,
        query: ListQuery,
        duration: Int,
        entryTime: Int
    ) async throws -> ListPage<Event> {
        guard entryTime > duration else {
            throw CloudError(.paramError, csErrorCode: 4350, "Entry time must be greater than duration")
        }
        let now = context.server.events.now
        var started = query
        started.equals.append(("state", "Started"))
        started.atLeast.append(("created", now - Double(entryTime)))
        started.atMost.append(("created", now - Double(duration)))
        started.page = 1
        started.pageSize = nil
        let candidates = try await context.server.store.list(Event.self, started).items
        let starts = candidates.compactMap(\.startId)
        var done = ListQuery(equals: [("state", "Completed")], idIn: starts)
        done.inColumn = "start_id"
        let completed = starts.isEmpty ? [] : try await context.server.store.list(Event.self, done).items
        let finished = Set(completed.compactMap(\.startId))
        let pending = candidates.filter { $0.startId.map { !finished.contains($0) } ?? true }
        let size = query.pageSize ?? max(pending.count, 1)
        return ListPage(
            total: pending.count,
            items: pending.paged(query.page, size: size)
        )
    }

    /// EventResponse objects, loading the page's users, accounts and domains once.
    static func render(_ context: CommandContext, _ events: [Event]) async throws -> [APIValue] {
        let store = context.server.store
        let accountIds = Array(Set(events.map(\.accountId)))
        let accounts = accountIds.isEmpty ? [] : try await store.list(Account.self, ListQuery(idIn: accountIds)).items
        let userIds = Array(Set(events.compactMap(\.userId)))
        let users = userIds.isEmpty ? [] : try await store.list(User.self, ListQuery(idIn: userIds)).items
        let domainIds = Array(Set(accounts.map(\.domainId)))
        let domains = domainIds.isEmpty ? [] : try await store.list(Domain.self, ListQuery(idIn: domainIds)).items
        let accountById = Dictionary(accounts.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let userById = Dictionary(users.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let domainById = Dictionary(domains.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
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
