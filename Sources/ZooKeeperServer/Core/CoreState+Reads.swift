import ZooKeeperProtocol

extension CoreState {
    /// Reads and watch bookkeeping (`FinalRequestProcessor`): they take no zxid and reply at once.
    mutating func processRead(
        _ connection: ConnectionID,
        _ header: RequestHeader,
        _ request: ClientRequest,
        sessionId: Int64,
        authIds: [Id]
    ) {
        do {
            let body = try self.read(connection, request, sessionId: sessionId, authIds: authIds)
            self.reply(connection, xid: header.xid, err: .ok, body)
        } catch {
            self.reply(connection, xid: header.xid, err: error.code)
        }
    }

    private mutating func read(
        _ connection: ConnectionID,
        _ request: ClientRequest,
        sessionId: Int64,
        authIds: [Id]
    ) throws(KeeperError) -> (any JuteRecord)? {
        switch request {
        case .exists(let r):
            if r.path.utf8.contains(0) { throw KeeperError(.badArguments) }
            let node = self.tree.node(at: r.path)
            if let node { try Self.check(node, .read, authIds, r.path) }
            // A missing node still gets an exists watch.
            if r.watch { self.watches.add(.data, path: r.path, connection: connection) }
            guard let node else { throw KeeperError(.noNode, path: r.path) }
            return StatResponse(stat: node.clientStat)
        case .getData(let r):
            let node = try self.readable(r.path, authIds)
            if r.watch { self.watches.add(.data, path: r.path, connection: connection) }
            return GetDataResponse(data: node.data, stat: node.clientStat)
        case .getChildren(let r, let withStat):
            let node = try self.readable(r.path, authIds)
            if r.watch { self.watches.add(.child, path: r.path, connection: connection) }
            let children = Array(node.children)
            return withStat
                ? GetChildren2Response(children: children, stat: node.clientStat)
                : GetChildrenResponse(strings: children)
        case .getACL(let r):
            guard let node = self.tree.node(at: r.path) else { throw KeeperError(.noNode, path: r.path) }
            try Self.check(node, [.read, .admin], authIds, r.path)
            let acl = ACLPolicy.allows(node.acl, .admin, authIds) ? node.acl : ACLPolicy.masked(node.acl)
            return GetACLResponse(acl: acl, stat: node.clientStat)
        case .getAllChildrenNumber(let r):
            _ = try self.readable(r.path, authIds)
            return IntResponse(value: Int32(clamping: self.tree.descendantCount(of: r.path)))
        case .getEphemerals(let r):
            let prefix = r.path.trimmingSpaces
            let all = (self.tree.ephemerals[sessionId] ?? []).sorted()
            let paths = prefix.isEmpty || prefix == "/" ? all : all.filter { $0.hasPrefix(r.path) }
            return GetEphemeralsResponse(strings: paths)
        case .sync(let r):
            return SyncResponse(path: r.path)
        case .whoAmI:
            let ordered = authIds.filter { $0.scheme != "ip" } + authIds.filter { $0.scheme == "ip" }
            return WhoAmIResponse(clientInfo: ordered.map { ClientInfo(authScheme: $0.scheme, user: Self.user($0)) })
        case .checkWatches(let r):
            let tables = try Self.tables(r.type)
            guard tables.contains(where: { self.watches.contains($0, path: r.path, connection: connection) }) else {
                throw KeeperError(.noWatcher, path: r.path)
            }
            return nil
        case .removeWatches(let r):
            var removed = false
            for table in try Self.tables(r.type) where self.watches.remove(table, path: r.path, connection: connection)
            {
                removed = true
            }
            guard removed else { throw KeeperError(.noWatcher, path: r.path) }
            return nil
        case .addWatch(let r):
            let mode: WatchManager.Mode
            switch r.mode {
            case .persistent: mode = .persistent
            case .persistentRecursive: mode = .persistentRecursive
            default: throw KeeperError(.marshallingError)
            }
            self.watches.add(.data, path: r.path, connection: connection, mode: mode)
            self.watches.add(.child, path: r.path, connection: connection, mode: mode)
            return IntResponse(value: 0)
        case .setWatches(let r):
            self.setWatches(connection, r)
            return nil
        case .multiRead(let r):
            return try self.multiRead(connection, r, authIds)
        case .write, .ping, .auth, .sasl, .invalidMultiRead, .unknown, .topLevelCheck:
            throw KeeperError(.unimplemented)
        }
    }

    private func readable(_ path: String, _ authIds: [Id]) throws(KeeperError) -> DataNode {
        guard let node = self.tree.node(at: path) else { throw KeeperError(.noNode, path: path) }
        try Self.check(node, .read, authIds, path)
        return node
    }

    private static func check(
        _ node: DataNode,
        _ perm: Permissions,
        _ authIds: [Id],
        _ path: String
    )
        throws(KeeperError)
    {
        guard ACLPolicy.allows(node.acl, perm, authIds) else { throw KeeperError(.noAuth, path: path) }
    }

    private static func user(_ id: Id) -> String {
        guard id.scheme == "digest" else { return id.id }
        return String(id.id.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
    }

    private static func tables(_ type: WatcherType) throws(KeeperError) -> [WatchManager.Table] {
        switch type {
        case .children: return [.child]
        case .data: return [.data]
        case .any: return [.child, .data]
        default: throw KeeperError(.marshallingError)
        }
    }

    /// setWatches / setWatches2 (`DataTree.setWatches`): what changed since relativeZxid fires now, the rest is
    /// armed again.
    private mutating func setWatches(_ connection: ConnectionID, _ r: SetWatchesRequest) {
        for path in r.dataWatches {
            if let node = self.tree.node(at: path) {
                if node.stat.mzxid > r.relativeZxid {
                    self.notify(connection, WatcherEvent(type: .nodeDataChanged, state: .syncConnected, path: path))
                } else {
                    self.watches.add(.data, path: path, connection: connection)
                }
            } else {
                self.notify(connection, WatcherEvent(type: .nodeDeleted, state: .syncConnected, path: path))
            }
        }
        for path in r.existWatches {
            if self.tree.node(at: path) != nil {
                self.notify(connection, WatcherEvent(type: .nodeCreated, state: .syncConnected, path: path))
            } else {
                self.watches.add(.data, path: path, connection: connection)
            }
        }
        for path in r.childWatches {
            if let node = self.tree.node(at: path) {
                if node.stat.pzxid > r.relativeZxid {
                    self.notify(connection, WatcherEvent(type: .nodeChildrenChanged, state: .syncConnected, path: path))
                } else {
                    self.watches.add(.child, path: path, connection: connection)
                }
            } else {
                self.notify(connection, WatcherEvent(type: .nodeDeleted, state: .syncConnected, path: path))
            }
        }
        for path in r.persistentWatches ?? [] {
            self.watches.add(.data, path: path, connection: connection, mode: .persistent)
            self.watches.add(.child, path: path, connection: connection, mode: .persistent)
        }
        for path in r.persistentRecursiveWatches ?? [] {
            self.watches.add(.data, path: path, connection: connection, mode: .persistentRecursive)
            self.watches.add(.child, path: path, connection: connection, mode: .persistentRecursive)
        }
    }

    /// multiRead: each read on its own; a failed one becomes an error result, nothing rolls back.
    private mutating func multiRead(
        _ connection: ConnectionID,
        _ r: MultiRequest,
        _ authIds: [Id]
    )
        throws(KeeperError) -> MultiResponse
    {
        var results: [MultiResult] = []
        for op in r.ops {
            do throws(KeeperError) {
                switch op {
                case .getData(let g):
                    let node = try self.readable(g.path, authIds)
                    if g.watch { self.watches.add(.data, path: g.path, connection: connection) }
                    results.append(.getData(data: node.data, stat: node.clientStat))
                case .getChildren(let g):
                    let node = try self.readable(g.path, authIds)
                    if g.watch { self.watches.add(.child, path: g.path, connection: connection) }
                    results.append(.getChildren(children: Array(node.children)))
                case .create, .createTTL, .delete, .setData, .check:
                    throw KeeperError(.marshallingError)
                }
            } catch {
                if error.code == .marshallingError { throw error }
                results.append(.error(error.code))
            }
        }
        return MultiResponse(results: results)
    }
}

extension String {
    /// The string without leading and trailing spaces (Java's `trim()`).
    fileprivate var trimmingSpaces: String {
        let scalars = self.unicodeScalars
        guard let first = scalars.firstIndex(where: { $0.value > 0x20 }),
            let last = scalars.lastIndex(where: { $0.value > 0x20 })
        else { return "" }
        return String(scalars[first...last])
    }
}
