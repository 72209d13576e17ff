/// How to configure an Apache ZooKeeper server or ensemble launched for a test.
///
/// Every server listens on `127.0.0.1` only, with the AdminServer off (so port 8080 stays free) and every
/// four-letter word enabled (`4lw.commands.whitelist=*`).
public struct ApacheZooKeeperOptions: Sendable {
    /// ZooKeeper's basic time unit (`tickTime`). Session timeouts are clamped to [2, 20] ticks unless
    /// ``minSessionTimeout`` and ``maxSessionTimeout`` say otherwise. Upstream default: 2000 ms.
    public var tickTime: Duration
    /// Ticks a follower may take to connect and sync to the leader (`initLimit`, ensembles only).
    public var initLimit: Int
    /// Ticks a follower may lag behind the leader (`syncLimit`, ensembles only).
    public var syncLimit: Int
    /// `minSessionTimeout`; `nil` keeps ZooKeeper's 2 × tickTime.
    public var minSessionTimeout: Duration?
    /// `maxSessionTimeout`; `nil` keeps ZooKeeper's 20 × tickTime.
    public var maxSessionTimeout: Duration?
    /// Passes `-Dzookeeper.extendedTypesEnabled=true`, which TTL nodes need.
    public var extendedTypesEnabled: Bool
    /// How often the ContainerManager deletes empty containers and expired TTL nodes
    /// (`-Dznode.container.checkIntervalMs`). Upstream default: 60 s; ours is 1 s so such tests are quick.
    public var containerCheckInterval: Duration
    /// `maxClientCnxns`, the connection limit per client IP. Every test client comes from 127.0.0.1, so the
    /// default is 0 (unlimited) rather than upstream's 60.
    public var maxClientConnections: Int
    /// `user:base64(sha1(user:password))` for `-Dzookeeper.DigestAuthenticationProvider.superDigest`, or `nil`.
    public var superDigest: String?
    /// Whether the txn log is fsynced before a write is acknowledged (`forceSync`). Upstream default: yes.
    public var forceSync: Bool
    /// Further `zoo.cfg` entries, written after the built-in ones.
    public var extraConfiguration: [String: String]
    /// Further JVM arguments, appended after the built-in ones (so they win).
    public var extraJVMArguments: [String]
    /// How long to wait for `ruok`/`srvr` to show a serving server.
    public var startupTimeout: Duration
    /// How long ``ApacheZooKeeperServer/stop()`` waits after SIGTERM before sending SIGKILL.
    public var stopTimeout: Duration
    /// Where Java and ZooKeeper are; `nil` calls ``ApacheZooKeeperInstallation/locate(environment:)``.
    public var installation: ApacheZooKeeperInstallation?
    /// Whether shutting down deletes the temporary directory (configuration, data and logs).
    public var removesFilesOnShutdown: Bool

    /// Creates options; every parameter has a test-friendly default.
    ///
    /// - Parameters:
    ///   - tickTime: `tickTime`.
    ///   - initLimit: `initLimit`, in ticks.
    ///   - syncLimit: `syncLimit`, in ticks.
    ///   - minSessionTimeout: `minSessionTimeout`, or `nil` for 2 × tickTime.
    ///   - maxSessionTimeout: `maxSessionTimeout`, or `nil` for 20 × tickTime.
    ///   - extendedTypesEnabled: Whether TTL nodes are allowed.
    ///   - containerCheckInterval: The container and TTL sweep interval.
    ///   - maxClientConnections: Connections allowed per client IP; 0 means unlimited.
    ///   - superDigest: The super user's digest, or `nil`.
    ///   - forceSync: Whether writes are fsynced before they are acknowledged.
    ///   - extraConfiguration: Further `zoo.cfg` entries.
    ///   - extraJVMArguments: Further JVM arguments.
    ///   - startupTimeout: How long to wait for the server to serve.
    ///   - stopTimeout: How long to wait after SIGTERM before SIGKILL.
    ///   - installation: Where Java and ZooKeeper are, or `nil` to locate them.
    ///   - removesFilesOnShutdown: Whether shutdown deletes the temporary directory.
    public init(
        tickTime: Duration = .milliseconds(2000),
        initLimit: Int = 5,
        syncLimit: Int = 2,
        minSessionTimeout: Duration? = nil,
        maxSessionTimeout: Duration? = nil,
        extendedTypesEnabled: Bool = false,
        containerCheckInterval: Duration = .milliseconds(1000),
        maxClientConnections: Int = 0,
        superDigest: String? = nil,
        forceSync: Bool = true,
        extraConfiguration: [String: String] = [:],
        extraJVMArguments: [String] = [],
        startupTimeout: Duration = .seconds(30),
        stopTimeout: Duration = .seconds(5),
        installation: ApacheZooKeeperInstallation? = nil,
        removesFilesOnShutdown: Bool = true
    ) {
        self.tickTime = tickTime
        self.initLimit = initLimit
        self.syncLimit = syncLimit
        self.minSessionTimeout = minSessionTimeout
        self.maxSessionTimeout = maxSessionTimeout
        self.extendedTypesEnabled = extendedTypesEnabled
        self.containerCheckInterval = containerCheckInterval
        self.maxClientConnections = maxClientConnections
        self.superDigest = superDigest
        self.forceSync = forceSync
        self.extraConfiguration = extraConfiguration
        self.extraJVMArguments = extraJVMArguments
        self.startupTimeout = startupTimeout
        self.stopTimeout = stopTimeout
        self.installation = installation
        self.removesFilesOnShutdown = removesFilesOnShutdown
    }
}
