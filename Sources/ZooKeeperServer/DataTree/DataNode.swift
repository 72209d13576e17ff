import ZooKeeperProtocol

/// The metadata a znode keeps (`data.StatPersisted`): the wire `Stat` without dataLength and numChildren, whose
/// `cversion` counts creates only.
struct StatPersisted: Hashable, Sendable {
    var czxid: Int64
    var mzxid: Int64
    var ctime: Int64
    var mtime: Int64
    var version: Int32
    var cversion: Int32
    var aversion: Int32
    var ephemeralOwner: Int64
    var pzxid: Int64

    /// A fresh node's stat (`DataTree.createStat`).
    static func created(zxid: Int64, time: Int64, ephemeralOwner: Int64) -> StatPersisted {
        StatPersisted(
            czxid: zxid,
            mzxid: zxid,
            ctime: time,
            mtime: time,
            version: 0,
            cversion: 0,
            aversion: 0,
            ephemeralOwner: ephemeralOwner,
            pzxid: zxid
        )
    }
}

/// What kind of node an `ephemeralOwner` value stands for (`server.EphemeralType`).
enum EphemeralKind: Hashable, Sendable {
    case persistent
    case ephemeral(sessionId: Int64)
    case container
    case ttl(milliseconds: Int64)

    /// `EphemeralType.CONTAINER_EPHEMERAL_OWNER`.
    static let containerOwner = Int64(bitPattern: 0x8000_0000_0000_0000)
    /// The top byte that marks a TTL owner (`EphemeralType.TTL`, extended types enabled).
    static let ttlMarker = Int64(bitPattern: 0xFF00_0000_0000_0000)
    /// The largest TTL (`EphemeralType.MAX_EXTENDED_SERVER_ID`-bounded), 2^40 - 1 ms.
    static let maxTTL: Int64 = (1 << 40) - 1

    init(owner: Int64) {
        if owner == 0 {
            self = .persistent
        } else if owner == Self.containerOwner {
            self = .container
        } else if owner & Self.ttlMarker == Self.ttlMarker {
            self = .ttl(milliseconds: owner & Self.maxTTL)
        } else {
            self = .ephemeral(sessionId: owner)
        }
    }

    /// The stored owner value of a TTL node.
    static func ttlOwner(_ ttl: Int64) -> Int64 { Self.ttlMarker | (ttl & Self.maxTTL) }

    /// Whether the node belongs to a session.
    var isEphemeral: Bool {
        if case .ephemeral = self { return true }
        return false
    }
}

/// One znode: data, ACL, persisted stat and the names of its children (`server.DataNode`).
struct DataNode: Hashable, Sendable {
    /// The data; nil is jute's null buffer, which differs from empty data on the wire.
    var data: [UInt8]?
    /// The ACL, as fixed up at create or setACL time.
    var acl: [ACL]
    /// The persisted metadata.
    var stat: StatPersisted
    /// The children's names (a set: ZooKeeper returns them in no particular order).
    var children: Set<String>

    /// The Stat a client sees (`DataNode.copyStat`): cversion as creates plus deletes, containers and TTL nodes
    /// with owner 0.
    var clientStat: Stat {
        let numChildren = Int32(clamping: self.children.count)
        let owner = EphemeralKind(owner: self.stat.ephemeralOwner).isEphemeral ? self.stat.ephemeralOwner : 0
        return Stat(
            czxid: self.stat.czxid,
            mzxid: self.stat.mzxid,
            ctime: self.stat.ctime,
            mtime: self.stat.mtime,
            version: self.stat.version,
            cversion: self.stat.cversion &* 2 &- numChildren,
            aversion: self.stat.aversion,
            ephemeralOwner: owner,
            dataLength: Int32(clamping: self.data?.count ?? 0),
            numChildren: numChildren,
            pzxid: self.stat.pzxid
        )
    }
}
