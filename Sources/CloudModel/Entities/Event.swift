/// One entry of the event log (CloudStack's `event` table): what happened, to what, for which account.
public struct Event: Sendable, Hashable, Codable {
    /// UUID.
    public var id: String
    /// CloudStack's event type, e.g. `HOST.DOWN`, `HA.VM.RESTART`, `CLUSTER.DRS`.
    public var type: String
    /// `Created`, `Scheduled`, `Started` or `Completed`.
    public var state: String
    /// A sentence saying what happened.
    public var description: String
    /// `INFO`, `WARN` or `ERROR`.
    public var level: String
    /// The account the event belongs to (the VM's owner, or the system account for infrastructure events).
    public var accountId: String
    /// The resource's UUID, when the event is about one.
    public var resourceId: String?
    /// The resource's type (`VirtualMachine`, `Host`, `Cluster`, ...).
    public var resourceType: String?
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
    ///   - resourceId: the resource.
    ///   - resourceType: the resource's type.
    ///   - created: when.
    public init(
        id: String,
        type: String,
        state: String = "Completed",
        description: String,
        level: String = "INFO",
        accountId: String,
        resourceId: String? = nil,
        resourceType: String? = nil,
        created: Double
    ) {
        self.id = id
        self.type = type
        self.state = state
        self.description = description
        self.level = level
        self.accountId = accountId
        self.resourceId = resourceId
        self.resourceType = resourceType
        self.created = created
    }
}
