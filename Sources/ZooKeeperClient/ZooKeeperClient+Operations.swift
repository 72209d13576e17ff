import NIOCore
import ZooKeeperProtocol

extension ZooKeeperClient {
    /// Creates a znode (create, or createContainer/createTTL for those modes).
    /// - Parameters:
    ///   - path: the path (with sequential modes, the prefix).
    ///   - data: the data.
    ///   - acl: the ACL (default: the configuration's ``ZooKeeperClientConfiguration/defaultACL``).
    ///   - mode: the create mode.
    ///   - ttl: milliseconds, for the TTL modes only.
    /// - Returns: the created path (with its sequence suffix).
    /// - Throws: `KeeperError` (`.nodeExists`, `.noNode`, `.noChildrenForEphemerals`, `.invalidACL`, ...).
    @discardableResult
    public func create(
        _ path: String,
        data: [UInt8] = [],
        acl: [ACL]? = nil,
        mode: CreateMode = .persistent,
        ttl: Int64? = nil
    ) async throws -> String {
        let acl = acl ?? self.defaultACL
        if mode.isTTL || mode.isContainer {
            return try await self.createWithStat(path, data: data, acl: acl, mode: mode, ttl: ttl).path
        }
        try self.validate(path, sequential: mode.isSequential)
        let request = CreateRequest(path: connection.applyChroot(path), data: data, acl: acl, flags: mode)
        let response = try await self.call(.create, request, path: path, as: CreateResponse.self)
        return self.connection.stripChroot(response.path)
    }

    /// Creates a znode and returns its Stat (create2, createContainer or createTTL).
    /// - Parameters:
    ///   - path: the path.
    ///   - data: the data.
    ///   - acl: the ACL (default: the configuration's ``ZooKeeperClientConfiguration/defaultACL``).
    ///   - mode: the create mode.
    ///   - ttl: milliseconds, for the TTL modes only.
    /// - Returns: the created path and the new node's Stat.
    /// - Throws: `KeeperError`.
    public func createWithStat(
        _ path: String,
        data: [UInt8] = [],
        acl: [ACL]? = nil,
        mode: CreateMode = .persistent,
        ttl: Int64? = nil
    ) async throws -> (path: String, stat: Stat) {
        let acl = acl ?? self.defaultACL
        try self.validate(path, sequential: mode.isSequential)
        let serverPath = self.connection.applyChroot(path)
        let response: Create2Response
        if mode.isTTL {
            let request = CreateTTLRequest(path: serverPath, data: data, acl: acl, flags: mode, ttl: ttl ?? -1)
            response = try await self.call(.createTTL, request, path: path, as: Create2Response.self)
        } else {
            let request = CreateRequest(path: serverPath, data: data, acl: acl, flags: mode)
            let op: OpCode = mode.isContainer ? .createContainer : .create2
            response = try await self.call(op, request, path: path, as: Create2Response.self)
        }
        return (self.connection.stripChroot(response.path), response.stat)
    }

    /// Deletes a znode.
    /// - Parameters:
    ///   - path: the path.
    ///   - version: the expected version, or -1 for any.
    /// - Throws: `KeeperError` (`.noNode`, `.badVersion`, `.notEmpty`, ...).
    public func delete(_ path: String, version: Int32 = -1) async throws {
        try self.validate(path)
        let request = DeleteRequest(path: self.connection.applyChroot(path), version: version)
        _ = try await self.call(.delete, request, path: path, as: EmptyRecord.self)
    }

    /// The Stat of a znode, or nil when it does not exist.
    /// - Parameter path: the path.
    /// - Returns: the Stat, or nil.
    /// - Throws: `KeeperError`.
    public func exists(_ path: String) async throws -> Stat? {
        try self.validate(path)
        do {
            let request = ExistsRequest(path: self.connection.applyChroot(path), watch: false)
            return try await self.call(.exists, request, path: path, as: StatResponse.self).stat
        } catch let error as KeeperError where error.code == .noNode {
            return nil
        }
    }

    /// The Stat of a znode, or nil, with a watch that fires when it is created, changed or deleted.
    /// - Parameter path: the path.
    /// - Returns: the Stat (or nil) and the watch.
    /// - Throws: `KeeperError`.
    public func existsWatch(_ path: String) async throws -> (stat: Stat?, watch: Watch) {
        try self.validate(path)
        let serverPath = self.connection.applyChroot(path)
        let (sink, stream) = self.makeSink(oneShot: true)
        let registration = WatchRegistration(sink: sink, kind: .data, path: serverPath)
        let request = ExistsRequest(path: serverPath, watch: true)
        do {
            let stat = try await self.call(.exists, request, path: path, watch: registration, as: StatResponse.self)
            return (stat.stat, Watch(stream: stream, triggered: sink.triggered))
        } catch let error as KeeperError where error.code == .noNode {
            return (nil, Watch(stream: stream, triggered: sink.triggered))
        }
    }

    /// A znode's data and Stat.
    /// - Parameter path: the path.
    /// - Returns: the data (empty for a null buffer) and the Stat.
    /// - Throws: `KeeperError` (`.noNode`, `.noAuth`).
    public func getData(_ path: String) async throws -> (data: [UInt8], stat: Stat) {
        try self.validate(path)
        let request = GetDataRequest(path: self.connection.applyChroot(path), watch: false)
        let response = try await self.call(.getData, request, path: path, as: GetDataResponse.self)
        return (response.data ?? [], response.stat)
    }

    /// A znode's data and Stat, with a watch that fires when its data changes or it is deleted.
    /// - Parameter path: the path.
    /// - Returns: the data, the Stat and the watch.
    /// - Throws: `KeeperError`.
    public func getDataWatch(_ path: String) async throws -> (data: [UInt8], stat: Stat, watch: Watch) {
        try self.validate(path)
        let serverPath = self.connection.applyChroot(path)
        let (sink, stream) = self.makeSink(oneShot: true)
        let registration = WatchRegistration(sink: sink, kind: .data, path: serverPath)
        let request = GetDataRequest(path: serverPath, watch: true)
        let response = try await self.call(.getData, request, path: path, watch: registration, as: GetDataResponse.self)
        return (response.data ?? [], response.stat, Watch(stream: stream, triggered: sink.triggered))
    }

    /// Replaces a znode's data.
    /// - Parameters:
    ///   - path: the path.
    ///   - data: the new data.
    ///   - version: the expected version, or -1 for any.
    /// - Returns: the new Stat.
    /// - Throws: `KeeperError` (`.noNode`, `.badVersion`, `.noAuth`).
    @discardableResult
    public func setData(_ path: String, data: [UInt8], version: Int32 = -1) async throws -> Stat {
        try self.validate(path)
        let request = SetDataRequest(path: self.connection.applyChroot(path), data: data, version: version)
        return try await self.call(.setData, request, path: path, as: StatResponse.self).stat
    }

    /// A znode's ACL and Stat.
    /// - Parameter path: the path.
    /// - Returns: the ACL and Stat.
    /// - Throws: `KeeperError`.
    public func getACL(_ path: String) async throws -> (acl: [ACL], stat: Stat) {
        try self.validate(path)
        let request = GetACLRequest(path: self.connection.applyChroot(path))
        let response = try await self.call(.getACL, request, path: path, as: GetACLResponse.self)
        return (response.acl, response.stat)
    }

    /// Replaces a znode's ACL.
    /// - Parameters:
    ///   - path: the path.
    ///   - acl: the new ACL.
    ///   - version: the expected ACL version (aversion), or -1.
    /// - Returns: the new Stat.
    /// - Throws: `KeeperError` (`.invalidACL`, `.badVersion`, `.noAuth`).
    @discardableResult
    public func setACL(_ path: String, acl: [ACL], version: Int32 = -1) async throws -> Stat {
        try self.validate(path)
        let request = SetACLRequest(path: self.connection.applyChroot(path), acl: acl, version: version)
        return try await self.call(.setACL, request, path: path, as: StatResponse.self).stat
    }

    /// A znode's children's names, in no particular order.
    /// - Parameter path: the path.
    /// - Returns: the names.
    /// - Throws: `KeeperError`.
    public func getChildren(_ path: String) async throws -> [String] {
        try self.validate(path)
        let request = GetChildrenRequest(path: self.connection.applyChroot(path), watch: false)
        return try await self.call(.getChildren, request, path: path, as: GetChildrenResponse.self).strings
    }

    /// A znode's children and its Stat (getChildren2).
    /// - Parameter path: the path.
    /// - Returns: the names and the parent's Stat.
    /// - Throws: `KeeperError`.
    public func getChildrenWithStat(_ path: String) async throws -> (children: [String], stat: Stat) {
        try self.validate(path)
        let request = GetChildrenRequest(path: self.connection.applyChroot(path), watch: false)
        let response = try await self.call(.getChildren2, request, path: path, as: GetChildren2Response.self)
        return (response.children, response.stat)
    }

    /// A znode's children and Stat, with a watch that fires when a child is added or removed or the node goes.
    /// - Parameter path: the path.
    /// - Returns: the names, the Stat and the watch.
    /// - Throws: `KeeperError`.
    public func getChildrenWatch(_ path: String) async throws -> (children: [String], stat: Stat, watch: Watch) {
        try self.validate(path)
        let serverPath = self.connection.applyChroot(path)
        let (sink, stream) = self.makeSink(oneShot: true)
        let registration = WatchRegistration(sink: sink, kind: .child, path: serverPath)
        let request = GetChildrenRequest(path: serverPath, watch: true)
        let response = try await self.call(
            .getChildren2,
            request,
            path: path,
            watch: registration,
            as: GetChildren2Response.self
        )
        return (response.children, response.stat, Watch(stream: stream, triggered: sink.triggered))
    }

    /// Waits until the server the client is on has caught up with the leader.
    /// - Parameter path: a path (ZooKeeper requires one).
    /// - Returns: the path.
    /// - Throws: `KeeperError`.
    @discardableResult
    public func sync(_ path: String = "/") async throws -> String {
        try self.validate(path)
        let request = SyncRequest(path: self.connection.applyChroot(path))
        return self.connection.stripChroot(try await self.call(.sync, request, path: path, as: SyncResponse.self).path)
    }

    /// Runs write ops atomically: all or none.
    /// - Parameter ops: the ops (`MultiOp.create/.delete/.setData/.check`), paths relative to the chroot.
    /// - Returns: one result per op.
    /// - Throws: `MultiError` (with every op's result) when an op failed and nothing was applied; `KeeperError`
    ///   on connection problems.
    @discardableResult
    public func multi(_ ops: [MultiOp]) async throws -> [MultiResult] {
        for op in ops {
            if case .create(let r, _) = op {
                try self.validate(r.path, sequential: r.flags.isSequential)
            } else if case .createTTL(let r) = op {
                try self.validate(r.path, sequential: r.flags.isSequential)
            } else {
                try self.validate(op.path)
            }
        }
        let request = MultiRequest(ops: ops.map { $0.mapPath(self.connection.applyChroot) })
        let response = try await self.call(.multi, request, path: nil, as: MultiResponse.self)
        let results = response.results.map(self.stripChroot)
        if let index = results.firstIndex(where: {
            ($0.errorCode ?? .ok) != .ok && $0.errorCode != .runtimeInconsistency
        }) {
            throw MultiError(code: results[index].errorCode ?? .systemError, failedIndex: index, results: results)
        }
        return results
    }

    /// Runs reads together (multiRead): each op succeeds or fails on its own.
    /// - Parameter ops: `MultiOp.getData` and `.getChildren` ops.
    /// - Returns: one result per op (`.error` for a failed read).
    /// - Throws: `KeeperError` on connection problems.
    public func multiRead(_ ops: [MultiOp]) async throws -> [MultiResult] {
        for op in ops { try self.validate(op.path) }
        let request = MultiRequest(ops: ops.map { $0.mapPath(self.connection.applyChroot) })
        return try await self.call(.multiRead, request, path: nil, as: MultiResponse.self).results
    }

    private func stripChroot(_ result: MultiResult) -> MultiResult {
        switch result {
        case .create(let path): .create(path: self.connection.stripChroot(path))
        case .create2(let path, let stat, let type):
            .create2(path: self.connection.stripChroot(path), stat: stat, type: type)
        default: result
        }
    }

    /// Adds credentials to the connection (and to every future reconnect).
    /// - Parameters:
    ///   - scheme: e.g. `digest`.
    ///   - auth: e.g. `user:password` for digest.
    /// - Throws: `KeeperError` `.authFailed` when the server refused them (the client then stops).
    public func addAuth(scheme: String, auth: [UInt8]) async throws {
        try await self.connection.addAuth(scheme: scheme, auth: auth).get()
    }

    /// Adds a persistent watch (mode persistent or persistent-recursive) and returns its events.
    ///
    /// The stream ends when the watch is removed with `removeWatches(path, type: .any)` or the client closes,
    /// and throws `KeeperError` `.sessionExpired` when the session expires.
    /// - Parameters:
    ///   - path: the path.
    ///   - mode: persistent (the node's data, children and deletion) or recursive (created, deleted and data
    ///     changes of the node and all its descendants).
    /// - Returns: the events.
    /// - Throws: `KeeperError`.
    public func addWatch(_ path: String, mode: AddWatchMode) async throws -> AsyncThrowingStream<WatchEvent, any Error>
    {
        try self.validate(path)
        let serverPath = self.connection.applyChroot(path)
        let (sink, stream) = self.makeSink(oneShot: false)
        let kind: WatchKind = mode == .persistentRecursive ? .persistentRecursive : .persistent
        let registration = WatchRegistration(sink: sink, kind: kind, path: serverPath)
        let request = AddWatchRequest(path: serverPath, mode: mode)
        _ = try await self.call(.addWatch, request, path: path, watch: registration, as: IntResponse.self)
        return stream
    }

    /// Removes watches on a path, on the server and here; removed watches see a `*WatchRemoved` event and end.
    /// - Parameters:
    ///   - path: the path.
    ///   - type: data, children or any (any also removes persistent watches, as ZooKeeper 3.8 does).
    ///   - local: remove only here, even when the server cannot be reached.
    /// - Throws: `KeeperError` `.noWatcher` when there was none.
    public func removeWatches(_ path: String, type: WatcherType, local: Bool = false) async throws {
        try self.validate(path)
        let serverPath = self.connection.applyChroot(path)
        if !local {
            let request = RemoveWatchesRequest(path: serverPath, type: type)
            _ = try await self.call(.removeWatches, request, path: path, as: EmptyRecord.self)
        }
        let removed = try await self.connection.removeLocalWatches(path: serverPath, type: type).get()
        if local && removed == 0 { throw KeeperError(.noWatcher, path: path) }
    }

    /// Asks the server whether it holds watches of this type for this session on the path.
    /// - Parameters:
    ///   - path: the path.
    ///   - type: data, children or any.
    /// - Throws: `KeeperError` `.noWatcher` when there is none.
    public func checkWatches(_ path: String, type: WatcherType) async throws {
        try self.validate(path)
        let request = CheckWatchesRequest(path: self.connection.applyChroot(path), type: type)
        _ = try await self.call(.checkWatches, request, path: path, as: EmptyRecord.self)
    }

    /// The paths of this session's ephemeral nodes under a prefix.
    /// - Parameter prefix: a path prefix (default `/`, all).
    /// - Returns: the paths.
    /// - Throws: `KeeperError`.
    public func getEphemerals(_ prefix: String = "/") async throws -> [String] {
        try self.validate(prefix)
        let request = GetEphemeralsRequest(path: self.connection.applyChroot(prefix))
        let response = try await self.call(.getEphemerals, request, path: prefix, as: GetEphemeralsResponse.self)
        return response.strings.map(self.connection.stripChroot)
    }

    /// The number of all descendants of a znode.
    /// - Parameter path: the path.
    /// - Returns: the count.
    /// - Throws: `KeeperError`.
    public func getAllChildrenNumber(_ path: String) async throws -> Int {
        try self.validate(path)
        let request = GetAllChildrenNumberRequest(path: self.connection.applyChroot(path))
        return Int(try await self.call(.getAllChildrenNumber, request, path: path, as: IntResponse.self).value)
    }

    /// The identities this connection has authenticated as.
    /// - Returns: scheme and user pairs.
    /// - Throws: `KeeperError`.
    public func whoAmI() async throws -> [ClientInfo] {
        try await self.call(.whoAmI, EmptyRecord(), path: nil, as: WhoAmIResponse.self).clientInfo
    }
}

/// A multi that failed: nothing was applied.
public struct MultiError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The code of the op that failed.
    public var code: KeeperError.Code
    /// The index of that op.
    public var failedIndex: Int
    /// Every op's result: `.error(.ok)` before the failure, the failing code, `.error(.runtimeInconsistency)`
    /// after it.
    public var results: [MultiResult]

    public var description: String { "multi failed at op \(failedIndex): \(code)" }
}
