import Orchestrator

/// What the core and the API ask of the cluster a management server belongs to, without knowing how coordination works:
/// the runtime of the `Cluster` module implements it over a ZooKeeper `Coordinator` and attaches it with
/// ``CloudServices/attach(cluster:)``. A management server without one (tests, tools) is a cluster of one that
/// never refuses for want of coordination.
public protocol ClusterServices: Sendable {
    /// This management server's id (the owner recorded on its async jobs).
    var serverId: String { get }

    /// Throws unless this management server can coordinate now. A local state check, no ZooKeeper round trip:
    /// it runs before every command that needs coordination.
    /// - Throws: ``OrchestratorError`` (internal error: 530 at the API) with a message naming ZooKeeper.
    func requireCoordination() throws(OrchestratorError)

    /// Every management server known to the cluster: the live members Up, those known only from the database
    /// Down (`listManagementServers`).
    /// - Returns: the servers, sorted by id.
    /// - Throws: ``OrchestratorError`` or a store error.
    func managementServers() async throws -> [ManagementServerStatus]

    /// Publishes a global setting changed here (already stored), so that every management server applies it; nil
    /// publishes a reset to the default.
    /// - Parameters:
    ///   - name: the setting.
    ///   - value: its value, or nil.
    /// - Throws: ``OrchestratorError`` (internal error) when it cannot be published.
    func publishConfiguration(name: String, value: String?) async throws

    /// The management server that owns (manages) a host, as this server last saw the assignment.
    /// - Parameter hostId: the host.
    /// - Returns: the owner's id, nil when unassigned.
    func hostOwner(_ hostId: String) -> String?

    /// This server's coordination now, for `/metrics`: the ZooKeeper session's state, leadership and its epoch,
    /// the hosts it owns. A local read, no ZooKeeper round trip.
    var metrics: ClusterMetrics { get }
}

/// One management server in `listManagementServers` (CloudStack's `ManagementServerResponse`).
public struct ManagementServerStatus: Sendable, Hashable {
    /// The id.
    public var id: String
    /// The name.
    public var name: String
    /// `Up` or `Down`.
    public var state: String
    /// The software version.
    public var version: String
    /// The address it serves on.
    public var serviceIp: String
    /// When it last started (seconds since 1970).
    public var lastServerStart: Double?
    /// When it last stopped gracefully (seconds since 1970).
    public var lastServerStop: Double?
    /// Whether it leads the cluster (nil when unknown).
    public var isLeader: Bool?
    /// The fencing epoch of its leadership, on the leader only.
    public var leaderEpoch: Int?
    /// Its ZooKeeper session's state: this server's own as it knows it (`connected`, `suspended`, `lost`,
    /// `stopped`), `connected` for another live member (its ephemeral node exists), `none` for a server that is
    /// down; nil without a cluster.
    public var sessionState: String?
    /// How many hosts it owns (manages); nil without a cluster.
    public var hostsOwned: Int?
    /// The version of the live configuration it has applied (the newest zxid under `/config` it has read); nil
    /// when unknown.
    public var configurationVersion: Int64?

    /// Makes a value.
    /// - Parameters:
    ///   - id: the id.
    ///   - name: the name.
    ///   - state: `Up` or `Down`.
    ///   - version: the version.
    ///   - serviceIp: the address.
    ///   - lastServerStart: the last start.
    ///   - lastServerStop: the last graceful stop.
    public init(
        id: String,
        name: String,
        state: String,
        version: String,
        serviceIp: String,
        lastServerStart: Double?,
        lastServerStop: Double?
    ) {
        self.id = id
        self.name = name
        self.state = state
        self.version = version
        self.serviceIp = serviceIp
        self.lastServerStart = lastServerStart
        self.lastServerStop = lastServerStop
    }
}
