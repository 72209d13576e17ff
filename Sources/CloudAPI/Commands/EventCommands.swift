import CloudModel
import CloudStore
import Orchestrator

/// listEvents and listEventTypes over the event log.
enum EventCommands {
    static var all: [CommandDescriptor] { [list, types] }

    /// The event types ZooStack records.
    static let knownTypes = [
        "CLUSTER.DRS", "HA.VM.RESTART", "HOST.DISCONNECTED", "HOST.DOWN", "HOST.RECONNECTED", "VM.STOP",
    ]

    static let list = CommandDescriptor(
        "listEvents",
        "A command to list events.",
        parameters: ListParameters.all + ListParameters.scope + [
            ParameterDescriptor("type", .string, "the event type (see event types)"),
            ParameterDescriptor("level", .string, "the event level (INFO, WARN, ERROR)"),
            ParameterDescriptor("resourceid", .string, "the ID of the resource associated with the event"),
            ParameterDescriptor("resourcetype", .string, "the type of the resource associated with the event"),
        ]
    ) { context in
        var filters: [(column: String, value: String)] = []
        if let type = context.string("type") { filters.append(("type", type.uppercased())) }
        if let level = context.string("level") { filters.append(("level", level.uppercased())) }
        if let resource = context.string("resourceid") { filters.append(("resource_id", resource)) }
        if let resourceType = context.string("resourcetype") { filters.append(("resource_type", resourceType)) }
        var query = try await context.scopedListQuery(filters)
        // Events have no name: the keyword matches descriptions, filtered below.
        let keyword = query.keyword?.lowercased()
        query.keyword = nil
        query.equals.removeAll { $0.column == "name" }
        let (page, size) = (query.page, query.pageSize)
        query.page = 1
        query.pageSize = nil
        // Newest first, as CloudStack lists events.
        let all = try await context.server.store.list(Event.self, query).items.reversed().filter { event in
            guard let keyword, !keyword.isEmpty else { return true }
            return event.description.lowercased().contains(keyword)
        }
        let pageSize = size ?? max(all.count, 1)
        let events = Array(all.dropFirst((page - 1) * pageSize).prefix(pageSize))
        let accountIds = Array(Set(events.map(\.accountId)))
        let accounts =
            accountIds.isEmpty
            ? [] : try await context.server.store.list(Account.self, ListQuery(idIn: accountIds)).items
        let domainIds = Array(Set(accounts.map(\.domainId)))
        let domains =
            domainIds.isEmpty ? [] : try await context.server.store.list(Domain.self, ListQuery(idIn: domainIds)).items
        let accountById = Dictionary(accounts.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let domainById = Dictionary(domains.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let items = events.map { event -> APIValue in
            let account = accountById[event.accountId]
            var fields: [(String, APIValue)] = [
                ("id", .string(event.id)), ("username", .string(account?.name ?? "system")),
                ("type", .string(event.type)), ("level", .string(event.level)),
                ("description", .string(event.description)), ("account", .string(account?.name ?? "system")),
            ]
            if let account {
                fields.append(("domainid", .string(account.domainId)))
                fields.append(("domain", .string(domainById[account.domainId]?.name ?? "")))
            }
            if let resourceId = event.resourceId { fields.append(("resourceid", .string(resourceId))) }
            if let resourceType = event.resourceType { fields.append(("resourcetype", .string(resourceType))) }
            fields.append(("created", .string(DateFormat.string(event.created))))
            fields.append(("state", .string(event.state)))
            return .object(fields)
        }
        return .list(item: "event", total: all.count, items: items)
    }

    static let types = CommandDescriptor(
        "listEventTypes",
        "List Event Types",
        parameters: []
    ) { _ in
        .list(
            item: "eventtype",
            total: knownTypes.count,
            items: knownTypes.map { .object([("name", .string($0))]) }
        )
    }
}
