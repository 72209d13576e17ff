import CloudCore
import CloudStore
import Coordination
import Foundation
import Orchestrator
import ZooKeeperClient

/// How one management server runs in a cluster: its database, its ZooKeeper, who it is, and how often the leader's
/// duties run.
public struct ClusterConfiguration: Sendable {
    /// The inventory database (PostgreSQL for a real cluster; SQLite for one machine).
    public var store: StoreLocation
    /// The ZooKeeper connect string, `host:port[,host:port...][/chroot]`.
    public var connectString: String
    /// The root every ZooStack node lives under.
    public var rootPath: String
    /// This management server's id: a valid znode name, unique in the cluster.
    public var serverId: String
    /// The ZooKeeper session timeout.
    public var sessionTimeout: Duration
    /// The cluster's credentials: ZooStack's nodes in ZooKeeper are readable and writable only with them (nil: open
    /// to anyone, for tests).
    public var credentials: ClusterCredentials?
    /// TLS to the ensemble's secure client port (`--zookeeper-tls-ca`); nil (the default) speaks plain TCP.
    public var zookeeperTLS: ZooKeeperClientTLS?
    /// Simulator hosts seeded into an empty zone by the server that bootstraps the database.
    public var simulatedHosts: Int
    /// The API endpoint, recorded in the generated admin credentials.
    public var endpoint: String
    /// The version reported in membership and listManagementServers.
    public var version: String
    /// The in-process simulator (its latency and failure injection).
    public var simulator: SimulatorDriver
    /// How often the leader looks for orphaned jobs besides each membership change.
    public var sweepInterval: Duration
    /// A job younger than this (seconds) is never taken for orphaned: its server may not have registered yet.
    public var orphanGrace: Double
    /// Seals the users' secret keys at rest: every server of a database needs the same key (``SecretKeyCipher``;
    /// `zoostack serve` reads it from its `--encryption-key-file`).
    public var secrets: SecretKeyCipher
    /// The server's private data directory, where it records its ZooKeeper sessions so that a restart after a
    /// crash takes its id back from its dead incarnation (`CoordinationConfiguration.sessionRecordDirectory`).
    /// Default nil: no record.
    public var sessionRecordDirectory: String?
    /// How long a stopping server lets its running jobs finish before it leaves the cluster (``ClusterRuntime/stop()``);
    /// the jobs still running then stay pending, and the leader's orphaned-job sweep fails them once the server has
    /// left (a lone server's restart recovery does). Default 30 s.
    public var jobDrainLimit: Duration = .seconds(30)

    /// Makes a configuration.
    /// - Parameters:
    ///   - store: the database.
    ///   - connectString: the ZooKeeper connect string.
    ///   - rootPath: the root path (default `/zoostack`).
    ///   - serverId: this server's id.
    ///   - sessionTimeout: the session timeout (default 10 s).
    ///   - simulatedHosts: simulator hosts to seed (default 4).
    ///   - endpoint: the API endpoint.
    ///   - version: the version.
    ///   - simulator: the simulator.
    ///   - sweepInterval: the orphaned-job sweep's period (default 10 s).
    ///   - orphanGrace: the youngest age of a job taken for orphaned (default 2 s).
    ///   - secrets: the secret-key cipher (default: the process's ephemeral key, for in-process clusters).
    ///   - credentials: the cluster's credentials (default none: open nodes).
    public init(
        store: StoreLocation,
        connectString: String,
        rootPath: String = "/zoostack",
        serverId: String,
        sessionTimeout: Duration = .seconds(10),
        simulatedHosts: Int = 4,
        endpoint: String = "http://127.0.0.1:8080/client/api",
        version: String = CloudServices.version,
        simulator: SimulatorDriver = SimulatorDriver(),
        sweepInterval: Duration = .seconds(10),
        orphanGrace: Double = 2,
        secrets: SecretKeyCipher = .ephemeral,
        credentials: ClusterCredentials? = nil
    ) {
        self.store = store
        self.connectString = connectString
        self.rootPath = rootPath
        self.serverId = serverId
        self.sessionTimeout = sessionTimeout
        self.simulatedHosts = simulatedHosts
        self.endpoint = endpoint
        self.version = version
        self.simulator = simulator
        self.sweepInterval = sweepInterval
        self.orphanGrace = orphanGrace
        self.secrets = secrets
        self.credentials = credentials
    }

    /// A new management server id, `ms-` and 8 hex digits.
    /// - Returns: the id.
    public static func generateServerId() -> String {
        "ms-" + String(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(8))
    }
}
