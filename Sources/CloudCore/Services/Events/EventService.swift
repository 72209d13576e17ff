import CloudModel
import CloudStore
import Orchestrator

/// The event history (listEvents, archiveEvents, deleteEvents) over the event log that ``CloudServices/events``
/// writes. Each operation first waits for the events posted so far (``EventLog/flush()``), so that a command's
/// events are listed once it answered.
public struct EventService: Sendable {
    let services: CloudServices
    var store: CloudStore { self.services.store }

    /// The events the caller may see, newest first.
    /// - Parameters:
    ///   - access: the caller's access.
    ///   - request: paging, keyword (over descriptions) and scope; events have no name.
    ///   - filter: the event filters.
    /// - Throws: 431 for bad paging, scope, dates or pending-event bounds, 531 out of reach.
    public func list(_ access: Access, _ request: ListRequest, _ filter: EventFilter) async throws -> ListPage<Event> {
        await self.services.events.flush()
        var filters: [(column: String, value: String)] = [("archived", filter.archived ? "1" : "0")]
        if let type = filter.type { filters.append(("type", type.uppercased())) }
        if let level = filter.level { filters.append(("level", level.uppercased())) }
        if let start = filter.startId { filters.append(("start_id", start)) }
        if let resource = filter.resourceId { filters.append(("resource_id", resource)) }
        if let resourceType = filter.resourceType { filters.append(("resource_type", resourceType)) }
        var query = try await access.scopedQuery(request, filters)
        // Events have no name: the keyword matches descriptions.
        query.equals.removeAll { $0.column == "name" }
        query.keywordColumn = "description"
        query.newestFirst = true
        try filter.dates.apply(to: &query, column: "created", access)
        if let duration = filter.duration, let entryTime = filter.entryTime {
            return try await self.pending(query: query, duration: duration, entryTime: entryTime)
        }
        return try await self.store.list(Event.self, query)
    }

    /// CloudStack's pending events: `Started` events entered between `entryTime` and `duration` seconds ago whose
    /// job has no `Completed` event yet.
    func pending(query: ListQuery, duration: Int, entryTime: Int) async throws -> ListPage<Event> {
        guard entryTime > duration else {
            throw CloudError(.paramError, csErrorCode: 4350, "Entry time must be greater than duration")
        }
        let now = self.services.events.now
        var started = query
        started.equals.append(("state", "Started"))
        started.atLeast.append(("created", now - Double(entryTime)))
        started.atMost.append(("created", now - Double(duration)))
        started.page = 1
        started.pageSize = nil
        let candidates = try await self.store.list(Event.self, started).items
        let starts = candidates.compactMap(\.startId)
        var done = ListQuery(equals: [("state", "Completed")], idIn: starts)
        done.inColumn = "start_id"
        let completed = starts.isEmpty ? [] : try await self.store.list(Event.self, done).items
        let finished = Set(completed.compactMap(\.startId))
        let pending = candidates.filter { $0.startId.map { !finished.contains($0) } ?? true }
        let size = query.pageSize ?? max(pending.count, 1)
        let offset = ListQuery.offset(page: query.page, size: size)
        return ListPage(total: pending.count, items: Array(pending.dropFirst(offset).prefix(max(0, size))))
    }

    /// Archives the selected events.
    /// - Throws: ``selected(_:_:verb:)`` errors.
    public func archive(_ access: Access, _ selection: LogSelection) async throws {
        let events = try await self.selected(access, selection, verb: "archive")
        try await self.store.archive(Event.self, ids: events.map(\.id))
    }

    /// Deletes the selected events.
    /// - Throws: ``selected(_:_:verb:)`` errors.
    public func delete(_ access: Access, _ selection: LogSelection) async throws {
        let events = try await self.selected(access, selection, verb: "delete")
        try await self.store.deleteLogEntries(Event.self, ids: events.map(\.id))
    }

    /// The events a selection names within the caller's reach (the root admin every event, a domain admin its
    /// subtree's, a user its own account's).
    /// - Throws: 431 without a selection or with a bad date; 530 when some of `ids` is not an event the caller
    ///   may touch (CloudStack's "one or more parameters has invalid values").
    func selected(_ access: Access, _ selection: LogSelection, verb: String) async throws -> [Event] {
        await self.services.events.flush()
        try selection.checkNotEmpty()
        var query = ListQuery(idIn: selection.ids)
        if let type = selection.type { query.equals.append(("type", type.uppercased())) }
        try selection.dates.apply(to: &query, column: "created", access)
        switch access.caller.role {
        case .rootAdmin:
            break
        case .domainAdmin:
            query.domainScope = DomainScope(
                column: .account("account_id"),
                path: try await access.callerDomain().path,
                recursive: true
            )
        case .user:
            query.equals.append(("account_id", access.caller.account.id))
        }
        let events = try await self.store.list(Event.self, query).items
        if let ids = selection.ids, Set(events.map(\.id)).count < Set(ids).count {
            throw CloudError(.internalError, "Unable to \(verb) Events, one or more parameters has invalid values")
        }
        return events
    }

    /// The users, accounts and domains of a page of events, for their responses (a query each, none when empty).
    /// - Throws: ``StoreError``.
    public func owners(of events: [Event]) async throws -> EventOwners {
        let accountIds = Array(Set(events.map(\.accountId)))
        let accounts =
            accountIds.isEmpty ? [] : try await self.store.list(Account.self, ListQuery(idIn: accountIds)).items
        let userIds = Array(Set(events.compactMap(\.userId)))
        let users = userIds.isEmpty ? [] : try await self.store.list(User.self, ListQuery(idIn: userIds)).items
        let domainIds = Array(Set(accounts.map(\.domainId)))
        let domains = domainIds.isEmpty ? [] : try await self.store.list(Domain.self, ListQuery(idIn: domainIds)).items
        return EventOwners(
            accounts: Dictionary(accounts.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }),
            users: Dictionary(users.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }),
            domains: Dictionary(domains.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        )
    }
}

/// What listEvents filters on besides paging and scope.
public struct EventFilter: Sendable, Hashable {
    /// Archived events instead of current ones.
    public var archived: Bool
    /// An event type (any case).
    public var type: String?
    /// A level, `INFO`, `WARN` or `ERROR` (any case).
    public var level: String?
    /// The `Scheduled` event the events continue.
    public var startId: String?
    /// The resource's UUID.
    public var resourceId: String?
    /// The resource's type.
    public var resourceType: String?
    /// The events' time range.
    public var dates: LogDateRange
    /// With ``entryTime``: only pending events, entered at least this many seconds ago.
    public var duration: Int?
    /// With ``duration``: only pending events, entered at most this many seconds ago.
    public var entryTime: Int?

    /// Creates a filter; every field is optional.
    public init(
        archived: Bool = false,
        type: String? = nil,
        level: String? = nil,
        startId: String? = nil,
        resourceId: String? = nil,
        resourceType: String? = nil,
        dates: LogDateRange = LogDateRange(),
        duration: Int? = nil,
        entryTime: Int? = nil
    ) {
        self.archived = archived
        self.type = type
        self.level = level
        self.startId = startId
        self.resourceId = resourceId
        self.resourceType = resourceType
        self.dates = dates
        self.duration = duration
        self.entryTime = entryTime
    }
}

/// The users, accounts and domains a page of events names.
public struct EventOwners: Sendable {
    /// Accounts by UUID.
    public var accounts: [String: Account]
    /// Users by UUID.
    public var users: [String: User]
    /// Domains by UUID.
    public var domains: [String: Domain]
}

extension CloudServices {
    /// The event history (listEvents, archiveEvents, deleteEvents); ``events`` records.
    public var eventHistory: EventService { EventService(services: self) }
}
