/// Settings of an embedded ZooKeeper server, named after Apache ZooKeeper's `zoo.cfg` keys and system
/// properties, with the same defaults.
public struct ZooKeeperServerConfiguration: Sendable, Hashable {
    /// The address to listen on (`clientPortAddress`). Default `127.0.0.1`.
    public var host: String
    /// The port to listen on (`clientPort`); 0 picks a free port, which `ZooKeeperServer.port` reports.
    public var port: Int
    /// Where the txn log and snapshots go (`dataDir`); nil keeps everything in memory only.
    public var dataDir: String?
    /// The basic time unit in milliseconds (`tickTime`). Default 2000.
    public var tickTime: Int
    /// The smallest session timeout granted (`minSessionTimeout`); nil means 2 × tickTime.
    public var minSessionTimeout: Int?
    /// The largest session timeout granted (`maxSessionTimeout`); nil means 20 × tickTime.
    public var maxSessionTimeout: Int?
    /// The most concurrent connections from one client address (`maxClientCnxns`); 0 means no limit. Default 60.
    public var maxClientCnxns: Int
    /// The four-letter words served (`4lw.commands.whitelist`). Default `["srvr"]`, as Apache's; `"*"` allows all.
    public var fourLetterWordWhitelist: Set<String>
    /// `super:<base64 sha1>` (`zookeeper.DigestAuthenticationProvider.superDigest`): a connection whose digest
    /// auth matches it passes every ACL check. Default nil.
    public var superDigest: String?
    /// Allows TTL nodes (`zookeeper.extendedTypesEnabled`). Default false: createTTL gets Unimplemented (-6).
    public var extendedTypesEnabled: Bool
    /// How often, in milliseconds, empty containers and expired TTL nodes are removed
    /// (`znode.container.checkIntervalMs`). Default 60000.
    public var containerCheckInterval: Int
    /// Txns between snapshots (`snapCount`). Default 100000.
    public var snapCount: Int
    /// The largest frame accepted, in bytes (`jute.maxbuffer`). Default 0xfffff.
    public var maxBuffer: Int
    /// Whether the txn log is fsynced before a write is acknowledged (`zookeeper.forceSync`). Default true.
    public var forceSync: Bool
    /// The top byte of session ids (`myid`). Default 0, as standalone.
    public var serverId: Int
    /// How long, in milliseconds, a new connection may take to send its ConnectRequest
    /// (`zookeeper.nio.sessionlessCnxnTimeout`). Default 10000.
    public var handshakeTimeout: Int

    /// Makes a configuration; every parameter has Apache ZooKeeper's default.
    /// - Parameters:
    ///   - host: the listen address.
    ///   - port: the listen port; 0 for any free one.
    ///   - dataDir: the data directory, or nil for memory only.
    ///   - tickTime: the tick in milliseconds.
    ///   - minSessionTimeout: the floor of negotiated timeouts, or nil for 2 × tickTime.
    ///   - maxSessionTimeout: the ceiling of negotiated timeouts, or nil for 20 × tickTime.
    ///   - maxClientCnxns: connections per client address; 0 for unlimited.
    ///   - fourLetterWordWhitelist: the four-letter words served.
    ///   - superDigest: `super:<base64 sha1>`, or nil.
    ///   - extendedTypesEnabled: whether TTL nodes are allowed.
    ///   - containerCheckInterval: container sweep period in milliseconds.
    ///   - snapCount: txns between snapshots.
    ///   - maxBuffer: the largest frame in bytes.
    ///   - forceSync: whether to fsync the txn log before acknowledging.
    ///   - serverId: the top byte of session ids.
    ///   - handshakeTimeout: milliseconds a connection may wait before its ConnectRequest.
    public init(
        host: String = "127.0.0.1",
        port: Int = 2181,
        dataDir: String? = nil,
        tickTime: Int = 2000,
        minSessionTimeout: Int? = nil,
        maxSessionTimeout: Int? = nil,
        maxClientCnxns: Int = 60,
        fourLetterWordWhitelist: Set<String> = ["srvr"],
        superDigest: String? = nil,
        extendedTypesEnabled: Bool = false,
        containerCheckInterval: Int = 60000,
        snapCount: Int = 100_000,
        maxBuffer: Int = 0xfffff,
        forceSync: Bool = true,
        serverId: Int = 0,
        handshakeTimeout: Int = 10000
    ) {
        self.host = host
        self.port = port
        self.dataDir = dataDir
        self.tickTime = tickTime
        self.minSessionTimeout = minSessionTimeout
        self.maxSessionTimeout = maxSessionTimeout
        self.maxClientCnxns = maxClientCnxns
        self.fourLetterWordWhitelist = fourLetterWordWhitelist
        self.superDigest = superDigest
        self.extendedTypesEnabled = extendedTypesEnabled
        self.containerCheckInterval = containerCheckInterval
        self.snapCount = snapCount
        self.maxBuffer = maxBuffer
        self.forceSync = forceSync
        self.serverId = serverId
        self.handshakeTimeout = handshakeTimeout
    }

    /// The negotiated-timeout floor in force.
    public var effectiveMinSessionTimeout: Int { self.minSessionTimeout ?? 2 * self.tickTime }
    /// The negotiated-timeout ceiling in force.
    public var effectiveMaxSessionTimeout: Int { self.maxSessionTimeout ?? 20 * self.tickTime }

    /// Clamps a requested session timeout to [min, max] (`ZooKeeperServer.processConnectRequest`).
    /// - Parameter requested: the client's timeout in milliseconds.
    /// - Returns: the timeout granted.
    public func negotiateSessionTimeout(_ requested: Int32) -> Int32 {
        let low = Int32(clamping: self.effectiveMinSessionTimeout)
        let high = Int32(clamping: self.effectiveMaxSessionTimeout)
        return min(max(requested, low), max(low, high))
    }

    /// Whether a four-letter word is whitelisted.
    /// - Parameter word: the word, e.g. `ruok`.
    /// - Returns: true when it may run.
    public func allowsFourLetterWord(_ word: String) -> Bool {
        self.fourLetterWordWhitelist.contains("*") || self.fourLetterWordWhitelist.contains(word)
    }
}
