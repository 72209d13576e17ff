import ZooKeeperProtocol

@testable import ZooKeeperServer

/// Runs writes through the request processor and the data tree, as the server does, without any I/O.
struct TreeHarness {
    var tree = DataTree()
    var context = RequestContext(
        sessionId: 0x100,
        authIds: [Id(scheme: "ip", id: "127.0.0.1")],
        extendedTypesEnabled: false
    )
    var triggers: [WatchTrigger] = []

    @discardableResult
    mutating func write(_ request: WriteRequest) -> TxnOutcome {
        let zxid = self.tree.lastProcessedZxid + 1
        let txn = PrepRequestProcessor.prepare(request, zxid: zxid, context: self.context, tree: self.tree)
        let header = TxnHeader(sessionId: self.context.sessionId, cxid: 1, zxid: zxid, time: 1000 + zxid)
        let (outcome, triggers) = self.tree.apply(header, txn)
        self.triggers = triggers
        return outcome
    }

    @discardableResult
    mutating func create(
        _ path: String,
        _ data: [UInt8]? = [],
        flags: CreateMode = .persistent,
        acl: [ACL] = ACL.openUnsafe,
        type: OpCode = .create2
    ) -> TxnOutcome {
        self.write(.create(CreateRequest(path: path, data: data, acl: acl, flags: flags), type))
    }

    @discardableResult
    mutating func delete(_ path: String, version: Int32 = -1) -> TxnOutcome {
        self.write(.delete(DeleteRequest(path: path, version: version)))
    }

    func stat(_ path: String) -> Stat? { self.tree.node(at: path)?.clientStat }
}

extension TxnOutcome {
    /// The error code, or OK.
    var code: KeeperError.Code {
        if case .failed(let code) = self { return code }
        return .ok
    }

    /// The created path.
    var createdPath: String? {
        if case .created(let path, _) = self { return path }
        return nil
    }
}
