/// The paths ZooStack keeps in ZooKeeper, under a root (see docs/DESIGN.md, "What lives in ZooKeeper").
public struct ZNodeLayout: Hashable, Sendable {
    /// The root, e.g. `/zoostack`.
    public var root: String

    /// Makes a layout under `root` (a trailing slash is dropped; `/` means the top of the tree).
    /// - Parameter root: the root path.
    public init(root: String = "/zoostack") {
        var root = root
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        self.root = root.isEmpty ? "/" : root
    }

    /// `root/child`.
    /// - Parameter child: a relative path.
    /// - Returns: the absolute path.
    public func path(_ child: String) -> String {
        self.root == "/" ? "/" + child : self.root + "/" + child
    }

    /// Ephemeral `ID` nodes of live management servers.
    public var managementServers: String { self.path("managementservers") }
    /// The leader election's node.
    public var leader: String { self.path("leader") }
    /// The persistent epoch counter whose version is the leader's fencing token.
    public var epoch: String { self.path("epoch") }
    /// Persistent `KEY` nodes of live configuration.
    public var config: String { self.path("config") }
    /// Ephemeral `HOSTID` nodes of live hosts.
    public var hosts: String { self.path("hosts") }
    /// Persistent `HOSTID` nodes holding the owning management server's id.
    public var hostOwners: String { self.path("hostowners") }
    /// Lock nodes.
    public var locks: String { self.path("locks") }

    /// The persistent nodes the layout needs, parents first.
    public var persistentNodes: [String] {
        [self.managementServers, self.leader, self.config, self.hosts, self.hostOwners, self.locks]
    }
}
