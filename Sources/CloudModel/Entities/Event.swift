/// One entry of the event log (CloudStack's `event` table): what happened, to what, for which account.
public struct Event: Sendable, Hashable, Codable {
    /// UUID.
    public var id: String
    /// CloudStack's event type, e.g. `VM.CREATE`, `HOST.DOWN`, `HA.VM.RESTART`, `CLUSTER.DRS`.
    public var type: String
    /// `Created`, `Scheduled`, `Started` or `Completed`.
    public var state: String
    /// A sentence saying what happened.
    public var description: String
    /// `INFO`, `WARN` or `ERROR`.
    public var level: String
    /// The account the event belongs to (the caller's account, or the system account for infrastructure events).
    public var accountId: String
    /// The user whose command caused the event; nil for the system's own events.
    public var userId: String?
    /// The resource's UUID, when the event is about one.
    public var resourceId: String?
    /// The resource's type (`VirtualMachine`, `Host`, `Cluster`, ...).
    public var resourceType: String?
    /// The `Scheduled` event an async job's `Started` and `Completed` events belong to (CloudStack's `start_id`).
    public var startId: String?
    /// Whether `archiveEvents` hid it from the default `listEvents`.
    public var archived: Bool
    /// Seconds since 1970.
    public var created: Double

    /// Creates an event.
    /// - Parameters:
    ///   - id: UUID.
    ///   - type: the event type.
    ///   - state: the event state.
    ///   - description: what happened.
    ///   - level: INFO, WARN or ERROR.
    ///   - accountId: the owning account.
    ///   - userId: the calling user.
    ///   - resourceId: the resource.
    ///   - resourceType: the resource's type.
    ///   - startId: the Scheduled event this one continues.
    ///   - archived: whether it is archived.
    ///   - created: when.
    public init(
        id: String,
        type: String,
        state: String = "Completed",
        description: String,
        level: String = "INFO",
        accountId: String,
        userId: String? = nil,
        resourceId: String? = nil,
        resourceType: String? = nil,
        startId: String? = nil,
        archived: Bool = false,
        created: Double
    ) {
        self.id = id
        self.type = type
        self.state = state
        self.description = description
        self.level = level
        self.accountId = accountId
        self.userId = userId
        self.resourceId = resourceId
        self.resourceType = resourceType
        self.startId = startId
        self.archived = archived
        self.created = created
    }
}
