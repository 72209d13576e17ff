import Foundation

/// How a management server joins the coordination layer: which ZooKeeper, under which root, and who it is.
public struct CoordinationConfiguration: Sendable {
    /// The ZooKeeper connect string, `host:port[,host:port...][/chroot]`.
    public var connectString: String
    /// The root every ZooStack node lives under (default `/zoostack`).
    public var rootPath: String
    /// The session timeout asked of ZooKeeper; a management server that is cut off for longer loses its session
    /// (membership, leadership and ephemeral nodes).
    public var sessionTimeout: Duration
    /// This management server's id: a valid znode name, unique in the cluster.
    public var serverId: String
    /// The address other management servers and operators reach this one at (e.g. `10.0.0.5:8080`).
    public var address: String
    /// This management server's software version.
    public var version: String
    /// A directory private to this management server (its data directory) where it records its ZooKeeper session
    /// (``SessionRecord``), so that when it is restarted after a crash it closes the session still holding its
    /// membership (or, when the record does not name it, waits up to the session timeout and a margin for it to
    /// expire) instead of failing with `memberIdTaken`. Nil (the default) keeps no record and waits for nothing.
    public var sessionRecordDirectory: String?

    /// Makes a configuration.
    /// - Parameters:
    ///   - connectString: the ZooKeeper connect string.
    ///   - rootPath: the root path (default `/zoostack`).
    ///   - sessionTimeout: the session timeout (default 10 s).
    ///   - serverId: this management server's id.
    ///   - address: its address.
    ///   - version: its version.
    public init(
        connectString: String,
        rootPath: String = "/zoostack",
        sessionTimeout: Duration = .seconds(10),
        serverId: String,
        address: String,
        version: String
    ) {
        self.connectString = connectString
        self.rootPath = rootPath
        self.sessionTimeout = sessionTimeout
        self.serverId = serverId
        self.address = address
        self.version = version
    }
}
