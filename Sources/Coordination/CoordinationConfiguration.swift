import ZooKeeperClient

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

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
    /// The cluster's credentials: the session authenticates with them and every node ZooStack creates is readable
    /// and writable only by them; open nodes of an older deployment get their ACL at start. Nil leaves the nodes
    /// open to anyone (`world:anyone`), for tests and private ensembles only.
    public var credentials: ClusterCredentials?
    /// A directory private to this management server (its data directory) where it records its ZooKeeper session
    /// (``SessionRecord``), so that when it is restarted after a crash it closes the session still holding its
    /// membership (or, when the record does not name it, waits up to the session timeout and a margin for it to
    /// expire) instead of failing with `memberIdTaken`. Nil (the default) keeps no record and waits for nothing.
    public var sessionRecordDirectory: String?
    /// TLS to the ensemble's secure client port (`--zookeeper-tls-ca`); nil (the default) speaks plain TCP.
    public var tls: ZooKeeperClientTLS?

    /// Makes a configuration.
    /// - Parameters:
    ///   - connectString: the ZooKeeper connect string.
    ///   - rootPath: the root path (default `/zoostack`).
    ///   - sessionTimeout: the session timeout (default 10 s).
    ///   - serverId: this management server's id.
    ///   - address: its address.
    ///   - version: its version.
    ///   - credentials: the cluster's credentials (nil: nodes open to anyone).
    public init(
        connectString: String,
        rootPath: String = "/zoostack",
        sessionTimeout: Duration = .seconds(10),
        serverId: String,
        address: String,
        version: String,
        credentials: ClusterCredentials? = nil
    ) {
        self.connectString = connectString
        self.rootPath = rootPath
        self.sessionTimeout = sessionTimeout
        self.serverId = serverId
        self.address = address
        self.version = version
        self.credentials = credentials
    }
}
