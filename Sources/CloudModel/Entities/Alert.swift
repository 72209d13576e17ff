/// One alert (CloudStack's `alert` table): something an operator must look at, raised by the management server
/// (a host went Down, an HA restart failed, a management server left the cluster, capacity ran short).
public struct Alert: Sendable, Hashable, Codable {
    /// UUID.
    public var id: String
    /// CloudStack's alert type number (`AlertService.AlertType`: 7 host, 8 user VM, 14 management server, ...).
    public var type: Int
    /// The type's name (`ALERT.COMPUTE.HOST`, ...).
    public var name: String
    /// What happened (CloudStack's subject line).
    public var description: String
    /// The zone, when the alert is about one.
    public var zoneId: String?
    /// The pod, when the alert is about one.
    public var podId: String?
    /// The cluster, when the alert is about one.
    public var clusterId: String?
    /// Whether `archiveAlerts` hid it from `listAlerts`.
    public var archived: Bool
    /// When it was raised, seconds since 1970.
    public var sent: Double

    /// Creates an alert.
    /// - Parameters:
    ///   - id: UUID.
    ///   - type: the type number.
    ///   - name: the type's name.
    ///   - description: what happened.
    ///   - zoneId: the zone.
    ///   - podId: the pod.
    ///   - clusterId: the cluster.
    ///   - archived: whether it is archived.
    ///   - sent: when.
    public init(
        id: String,
        type: Int,
        name: String,
        description: String,
        zoneId: String? = nil,
        podId: String? = nil,
        clusterId: String? = nil,
        archived: Bool = false,
        sent: Double
    ) {
        self.id = id
        self.type = type
        self.name = name
        self.description = description
        self.zoneId = zoneId
        self.podId = podId
        self.clusterId = clusterId
        self.archived = archived
        self.sent = sent
    }
}
