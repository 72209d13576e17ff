import ZooKeeperProtocol

/// The in-memory znode tree (`server.DataTree`): nodes by path, ephemerals by session, and the last zxid applied.
///
/// Pure state with no I/O. The request processor reads it to decide a txn; `apply` carries a txn out and reports
/// the outcome and the watches it fires.
struct DataTree: Sendable {
    /// Every node by absolute path.
    private(set) var nodes: [String: DataNode]
    /// The paths of each session's ephemeral nodes.
    private(set) var ephemerals: [Int64: Set<String>] = [:]
    /// Container and TTL nodes, checked by the container sweeper.
    private(set) var containersAndTTLs: Set<String> = []
    /// The zxid of the last txn applied.
    private(set) var lastProcessedZxid: Int64 = 0

    /// The special paths no client may delete (`DataTree.isSpecialPath`).
    static let specialPaths: Set<String> = ["/", "/zookeeper", "/zookeeper/quota", "/zookeeper/config"]

    /// The tree of a fresh server: `/`, `/zookeeper`, `/zookeeper/quota` and `/zookeeper/config`.
    init() {
        let zero = StatPersisted.created(zxid: 0, time: 0, ephemeralOwner: 0)
        var config = DataNode(data: [], acl: ACL.readUnsafe, stat: zero, children: [])
        config.stat.aversion = -1
        self.nodes = [
            "/": DataNode(data: [], acl: ACL.openUnsafe, stat: zero, children: ["zookeeper"]),
            "/zookeeper": DataNode(data: [], acl: ACL.openUnsafe, stat: zero, children: ["quota", "config"]),
            "/zookeeper/quota": DataNode(data: [], acl: ACL.openUnsafe, stat: zero, children: []),
            "/zookeeper/config": config,
        ]
    }

    /// The node at `path`, if any.
    func node(at path: String) -> DataNode? { self.nodes[path] }

    /// The number of nodes, counting the root twice as `DataTree.getNodeCount` does (it is stored under "" too).
    var nodeCount: Int { self.nodes.count + 1 }

    /// All descendants of `path` (`DataTree.getAllChildrenNumber`).
    func descendantCount(of path: String) -> Int {
        guard let node = self.nodes[path] else { return 0 }
        var count = 0
        for child in node.children {
            count += 1 + self.descendantCount(of: PathValidation.join(path, child))
        }
        return count
    }

    /// Sets the last zxid (recovery from a snapshot).
    mutating func setLastProcessedZxid(_ zxid: Int64) { self.lastProcessedZxid = zxid }

    /// Puts a node back as it was (recovery from a snapshot, parents first), linking it into its parent.
    mutating func restore(path: String, data: [UInt8]?, acl: [ACL], stat: StatPersisted) {
        let children = self.nodes[path]?.children ?? []
        self.nodes[path] = DataNode(data: data, acl: acl, stat: stat, children: children)
        if path != "/" { self.nodes[PathValidation.parent(of: path)]?.children.insert(PathValidation.name(of: path)) }
        self.indexKind(path: path, owner: stat.ephemeralOwner)
    }

    /// Applies one txn.
    /// - Returns: the outcome for the reply and the watches it fires, in order.
    mutating func apply(_ header: TxnHeader, _ txn: Txn) -> (TxnOutcome, [WatchTrigger]) {
        var triggers: [WatchTrigger] = []
        let outcome = self.apply(header, txn, triggers: &triggers)
        if header.zxid > self.lastProcessedZxid { self.lastProcessedZxid = header.zxid }
        return (outcome, triggers)
    }

    private mutating func apply(_ header: TxnHeader, _ txn: Txn, triggers: inout [WatchTrigger]) -> TxnOutcome {
        switch txn {
        case .create(let path, let data, let acl, let owner, let parentCVersion):
            return self.create(path, data, acl, owner, parentCVersion, header, &triggers)
        case .delete(let path):
            return self.delete(path, zxid: header.zxid, triggers: &triggers)
        case .setData(let path, let data, let version):
            guard var node = self.nodes[path] else { return .failed(.noNode) }
            node.data = data
            node.stat.version = version
            node.stat.mzxid = header.zxid
            node.stat.mtime = header.time
            self.nodes[path] = node
            triggers.append(.dataChanged(path))
            return .updated(stat: node.clientStat)
        case .setACL(let path, let acl, let version):
            guard var node = self.nodes[path] else { return .failed(.noNode) }
            node.acl = acl
            node.stat.aversion = version
            self.nodes[path] = node
            return .updated(stat: node.clientStat)
        case .check:
            return .checked
        case .createSession:
            return .session
        case .closeSession(let sessionId):
            // Deleting in sorted order keeps replays and snapshots deterministic.
            for path in (self.ephemerals[sessionId] ?? []).sorted(by: >) {
                _ = self.delete(path, zxid: header.zxid, triggers: &triggers)
            }
            self.ephemerals[sessionId] = nil
            return .session
        case .multi(let txns):
            return self.applyMulti(header, txns, triggers: &triggers)
        case .error(let code):
            return .failed(code)
        }
    }

    private mutating func applyMulti(
        _ header: TxnHeader,
        _ txns: [Txn],
        triggers: inout [WatchTrigger]
    )
        -> TxnOutcome
    {
        let failed = txns.contains { if case .error = $0 { true } else { false } }
        guard failed else {
            return .multi(txns.map { self.apply(header, $0, triggers: &triggers) })
        }
        // DataTree.processTxn: once one op failed, the ops before it report 0 and those after it -2.
        var outcomes: [TxnOutcome] = []
        var postFailed = false
        for txn in txns {
            if case .error(let code) = txn {
                outcomes.append(.failed(code))
                postFailed = true
            } else {
                outcomes.append(.failed(postFailed ? .runtimeInconsistency : .ok))
            }
        }
        return .multi(outcomes)
    }

    private mutating func create(
        _ path: String,
        _ data: [UInt8]?,
        _ acl: [ACL],
        _ owner: Int64,
        _ parentCVersion: Int32,
        _ header: TxnHeader,
        _ triggers: inout [WatchTrigger]
    ) -> TxnOutcome {
        let parentPath = PathValidation.parent(of: path)
        let name = PathValidation.name(of: path)
        guard let exists = self.nodes[parentPath]?.children.contains(name) else { return .failed(.noNode) }
        guard !exists else { return .failed(.nodeExists) }
        // Mutate in place: a copy of the parent would copy its whole child set.
        self.nodes[parentPath]?.children.insert(name)
        self.nodes[parentPath]?.stat.cversion = parentCVersion
        self.nodes[parentPath]?.stat.pzxid = header.zxid
        let node = DataNode(
            data: data,
            acl: acl,
            stat: .created(zxid: header.zxid, time: header.time, ephemeralOwner: owner),
            children: []
        )
        self.nodes[path] = node
        self.indexKind(path: path, owner: owner)
        triggers.append(.created(path))
        triggers.append(.childrenChanged(parentPath))
        return .created(path: path, stat: node.clientStat)
    }

    private mutating func indexKind(path: String, owner: Int64) {
        switch EphemeralKind(owner: owner) {
        case .persistent: break
        case .ephemeral(let sessionId): self.ephemerals[sessionId, default: []].insert(path)
        case .container, .ttl: self.containersAndTTLs.insert(path)
        }
    }

    private mutating func delete(_ path: String, zxid: Int64, triggers: inout [WatchTrigger]) -> TxnOutcome {
        guard let node = self.nodes.removeValue(forKey: path) else { return .failed(.noNode) }
        let parentPath = PathValidation.parent(of: path)
        self.nodes[parentPath]?.children.remove(PathValidation.name(of: path))
        self.nodes[parentPath]?.stat.pzxid = zxid
        switch EphemeralKind(owner: node.stat.ephemeralOwner) {
        case .persistent: break
        case .ephemeral(let sessionId): self.ephemerals[sessionId]?.remove(path)
        case .container, .ttl: self.containersAndTTLs.remove(path)
        }
        triggers.append(.deleted(path))
        triggers.append(.childrenChanged(parentPath))
        return .deleted
    }
}
