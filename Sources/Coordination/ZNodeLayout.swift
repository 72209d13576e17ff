/// The paths ZooStack keeps in ZooKeeper, under a root (see docs/DESIGN.md, "What lives in ZooKeeper").
///
/// Hosts and their owners are sharded: a host's nodes are `hosts/BUCKET/HOSTID` and `hostowners/BUCKET/HOSTID`,
/// where BUCKET is a stable hash of the host id into ``hostBuckets`` buckets, so that no node has more than
/// ``maxChildren`` children (and no `getChildren` reply nears `jute.maxbuffer`) up to
/// ``hostBuckets`` × ``maxChildren`` hosts. Every writer goes through ``hostPath(_:)`` and ``hostOwnerPath(_:)``;
/// readers list the buckets they find, so they need not agree with the writers on the bucket count.
public struct ZNodeLayout: Hashable, Sendable {
    /// The most children ZooStack lets a node have: a `getChildren` reply of 10,000 names of up to 64 bytes
    /// (4 bytes of length each) is 680 KB, under ZooKeeper's default `jute.maxbuffer` of 1 MiB.
    public static let maxChildren = 10_000

    /// The default bucket count: 256 × 10,000 = 2,560,000 hosts before a bucket could reach ``maxChildren``.
    public static let defaultHostBuckets = 256

    /// The root, e.g. `/zoostack`.
    public var root: String
    /// How many buckets host ids are hashed into (at least 1).
    public var hostBuckets: Int

    /// Makes a layout under `root` (a trailing slash is dropped; `/` means the top of the tree).
    /// - Parameters:
    ///   - root: the root path.
    ///   - hostBuckets: how many buckets host ids are hashed into (default ``defaultHostBuckets``; at least 1).
    public init(root: String = "/zoostack", hostBuckets: Int = ZNodeLayout.defaultHostBuckets) {
        var root = root
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        self.root = root.isEmpty ? "/" : root
        self.hostBuckets = max(1, hostBuckets)
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
    /// The persistent bucket nodes holding the ephemeral `HOSTID` nodes of live hosts (``hostPath(_:)``).
    public var hosts: String { self.path("hosts") }
    /// The persistent bucket nodes holding persistent `HOSTID` nodes with the owning management server's id
    /// (``hostOwnerPath(_:)``).
    public var hostOwners: String { self.path("hostowners") }
    /// Lock nodes.
    public var locks: String { self.path("locks") }

    /// The persistent nodes the layout needs, parents first (the buckets are made on demand, by the first writer
    /// into each).
    public var persistentNodes: [String] {
        [self.managementServers, self.leader, self.config, self.hosts, self.hostOwners, self.locks]
    }

    /// The bucket of a host id: FNV-1a (64 bit) of its UTF-8 bytes modulo ``hostBuckets``, in lowercase hex padded
    /// to the width of the largest bucket (`00`...`ff` for 256). Stable across processes and platforms.
    /// - Parameter hostId: the host id.
    /// - Returns: the bucket's name.
    public func bucket(of hostId: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in hostId.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return self.bucketName(Int(hash % UInt64(self.hostBuckets)))
    }

    /// The bucket node under ``hosts`` holding a host's registration.
    /// - Parameter hostId: the host id.
    /// - Returns: `hosts/BUCKET`.
    public func hostBucket(of hostId: String) -> String {
        self.hosts + "/" + self.bucket(of: hostId)
    }

    /// A live host's ephemeral node.
    /// - Parameter hostId: the host id.
    /// - Returns: `hosts/BUCKET/HOSTID`.
    public func hostPath(_ hostId: String) -> String {
        self.hostBucket(of: hostId) + "/" + hostId
    }

    /// The bucket node under ``hostOwners`` holding a host's owner node.
    /// - Parameter hostId: the host id.
    /// - Returns: `hostowners/BUCKET`.
    public func hostOwnerBucket(of hostId: String) -> String {
        self.hostOwners + "/" + self.bucket(of: hostId)
    }

    /// A host's owner node.
    /// - Parameter hostId: the host id.
    /// - Returns: `hostowners/BUCKET/HOSTID`.
    public func hostOwnerPath(_ hostId: String) -> String {
        self.hostOwnerBucket(of: hostId) + "/" + hostId
    }

    private func bucketName(_ index: Int) -> String {
        let width = String(self.hostBuckets - 1, radix: 16).count
        let digits = String(index, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
