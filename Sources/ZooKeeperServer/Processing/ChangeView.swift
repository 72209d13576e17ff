import ZooKeeperProtocol

/// What the request processor needs to know of a node (`PrepRequestProcessor.ChangeRecord`).
struct NodeRecord: Hashable, Sendable {
    var stat: StatPersisted
    var childCount: Int
    var acl: [ACL]
}

/// The tree as a write sees it: the committed nodes with the changes of the earlier ops of the same multi laid
/// over them (`zks.outstandingChanges`).
struct ChangeView {
    private let tree: DataTree
    /// Changed paths: a record, or nil for a node deleted by an earlier op.
    private var overlay: [String: NodeRecord?] = [:]

    init(tree: DataTree) { self.tree = tree }

    /// The node at `path` (`getRecordForPath`).
    /// - Throws: `.noNode` when there is none.
    func record(_ path: String) throws(KeeperError) -> NodeRecord {
        if let changed = self.overlay[path] {
            guard let changed else { throw KeeperError(.noNode, path: path) }
            return changed
        }
        guard let node = self.tree.node(at: path) else { throw KeeperError(.noNode, path: path) }
        return NodeRecord(stat: node.stat, childCount: node.children.count, acl: node.acl)
    }

    /// Whether a node is at `path`.
    func exists(_ path: String) -> Bool {
        if let changed = self.overlay[path] { return changed != nil }
        return self.tree.node(at: path) != nil
    }

    /// Records a change for the ops that follow.
    mutating func set(_ path: String, _ record: NodeRecord?) { self.overlay[path] = .some(record) }
}
