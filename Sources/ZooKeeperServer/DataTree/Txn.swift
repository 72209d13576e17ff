import ZooKeeperProtocol

/// The header every transaction carries into the log (`txn.TxnHeader`).
struct TxnHeader: Hashable, Sendable {
    /// The session that asked for the change (for createSession, the new session).
    var sessionId: Int64
    /// The request's xid.
    var cxid: Int32
    /// The transaction id.
    var zxid: Int64
    /// Wall-clock time of the change, epoch milliseconds.
    var time: Int64
}

/// A state change, as the request processor decided it and the data tree applies it (the `txn` records of
/// `zookeeper.jute`). Applying a txn never fails: every check happened while it was made.
enum Txn: Hashable, Sendable {
    /// `CreateTxn`, `CreateContainerTxn` and `CreateTTLTxn`: the kind of node is in `ephemeralOwner`.
    case create(path: String, data: [UInt8]?, acl: [ACL], ephemeralOwner: Int64, parentCVersion: Int32)
    /// `DeleteTxn`.
    case delete(path: String)
    /// `SetDataTxn`: the version the node will have.
    case setData(path: String, data: [UInt8]?, version: Int32)
    /// `SetACLTxn`: the aversion the node will have.
    case setACL(path: String, acl: [ACL], version: Int32)
    /// `CheckVersionTxn` (multi only): no change.
    case check(path: String, version: Int32)
    /// `CreateSessionTxn`, with the password so that the session survives a restart.
    case createSession(sessionId: Int64, timeout: Int32, password: [UInt8])
    /// `CloseSessionTxn`: the session's ephemerals go.
    case closeSession(sessionId: Int64)
    /// `MultiTxn`: all or nothing; an `.error` among them means nothing is applied.
    case multi([Txn])
    /// `ErrorTxn`: a write that failed still takes a zxid.
    case error(KeeperError.Code)
}

/// What applying a txn produced, for the reply.
enum TxnOutcome: Hashable, Sendable {
    /// A node was created: its actual path and Stat.
    case created(path: String, stat: Stat)
    /// A node was deleted.
    case deleted
    /// A node's data or ACL changed: its new Stat.
    case updated(stat: Stat)
    /// A check passed.
    case checked
    /// A session was created or closed.
    case session
    /// The txn was an error (in a multi: 0 before the failing op, -2 after it).
    case failed(KeeperError.Code)
    /// One outcome per op of a multi.
    case multi([TxnOutcome])
}

/// A change that fires watches (`DataTree.createNode`, `deleteNode`, `setData`).
enum WatchTrigger: Hashable, Sendable {
    /// A node appeared: its data/exist watchers get NodeCreated.
    case created(String)
    /// A node went: its data and child watchers get NodeDeleted.
    case deleted(String)
    /// A node's data changed: its data watchers get NodeDataChanged.
    case dataChanged(String)
    /// A node's children changed: its child watchers get NodeChildrenChanged.
    case childrenChanged(String)
}
