import ZooKeeperProtocol

/// Identifies one client connection inside the server.
typealias ConnectionID = UInt64

/// Watches by path and connection (`server.watch.WatchManager`, two tables as `DataTree` keeps them).
///
/// The data table holds getData and exists watches, the child table getChildren watches; addWatch puts a
/// persistent or recursive watch in both. As in 3.8, one connection has one mode per path and table, and the
/// last registration wins.
struct WatchManager: Sendable {
    /// How a watch behaves when it fires (`WatcherMode`).
    enum Mode: Hashable, Sendable {
        case standard
        case persistent
        case persistentRecursive
    }

    /// Which table.
    enum Table: Hashable, Sendable {
        case data
        case child
    }

    private var dataTable: [String: [ConnectionID: Mode]] = [:]
    private var childTable: [String: [ConnectionID: Mode]] = [:]
    private var recursiveCount = 0

    /// Registers a watch.
    mutating func add(_ table: Table, path: String, connection: ConnectionID, mode: Mode = .standard) {
        switch table {
        case .data: Self.add(&self.dataTable, path, connection, mode, &self.recursiveCount)
        case .child: Self.add(&self.childTable, path, connection, mode, &self.recursiveCount)
        }
    }

    private static func add(
        _ table: inout [String: [ConnectionID: Mode]],
        _ path: String,
        _ connection: ConnectionID,
        _ mode: Mode,
        _ recursiveCount: inout Int
    ) {
        let old = table[path, default: [:]].updateValue(mode, forKey: connection)
        if old == .persistentRecursive { recursiveCount -= 1 }
        if mode == .persistentRecursive { recursiveCount += 1 }
    }

    /// Whether a connection has a watch of the given table on `path`.
    func contains(_ table: Table, path: String, connection: ConnectionID) -> Bool {
        switch table {
        case .data: self.dataTable[path]?[connection] != nil
        case .child: self.childTable[path]?[connection] != nil
        }
    }

    /// Removes a connection's watch on `path` whatever its mode (`WatchManager.removeWatcher`).
    /// - Returns: whether there was one.
    mutating func remove(_ table: Table, path: String, connection: ConnectionID) -> Bool {
        switch table {
        case .data: Self.remove(&self.dataTable, path, connection, &self.recursiveCount)
        case .child: Self.remove(&self.childTable, path, connection, &self.recursiveCount)
        }
    }

    private static func remove(
        _ table: inout [String: [ConnectionID: Mode]],
        _ path: String,
        _ connection: ConnectionID,
        _ recursiveCount: inout Int
    ) -> Bool {
        guard let old = table[path]?.removeValue(forKey: connection) else { return false }
        if table[path]?.isEmpty == true { table[path] = nil }
        if old == .persistentRecursive { recursiveCount -= 1 }
        return true
    }

    /// Drops every watch of a closed connection.
    mutating func removeAll(connection: ConnectionID) {
        for path in Array(self.dataTable.keys) where self.dataTable[path]?[connection] != nil {
            _ = Self.remove(&self.dataTable, path, connection, &self.recursiveCount)
        }
        for path in Array(self.childTable.keys) where self.childTable[path]?[connection] != nil {
            _ = Self.remove(&self.childTable, path, connection, &self.recursiveCount)
        }
    }

    /// Fires the watches a change triggers, removing the one-shot ones (`DataTree` then `WatchManager.triggerWatch`).
    /// - Returns: the events to send, in order; each connection gets one event per table and change, and a
    ///   deleted node's child watchers are not told twice.
    mutating func fire(_ trigger: WatchTrigger) -> [(ConnectionID, WatcherEvent)] {
        switch trigger {
        case .created(let path):
            return Self.events(self.fire(.data, path, .nodeCreated), path, .nodeCreated)
        case .dataChanged(let path):
            return Self.events(self.fire(.data, path, .nodeDataChanged), path, .nodeDataChanged)
        case .childrenChanged(let path):
            return Self.events(self.fire(.child, path, .nodeChildrenChanged), path, .nodeChildrenChanged)
        case .deleted(let path):
            let data = self.fire(.data, path, .nodeDeleted)
            let child = self.fire(.child, path, .nodeDeleted).filter { !data.contains($0) }
            return Self.events(data + child, path, .nodeDeleted)
        }
    }

    private static func events(
        _ connections: [ConnectionID],
        _ path: String,
        _ type: EventType
    )
        -> [(ConnectionID, WatcherEvent)]
    {
        connections.map { ($0, WatcherEvent(type: type, state: .syncConnected, path: path)) }
    }

    private mutating func fire(_ table: Table, _ path: String, _ type: EventType) -> [ConnectionID] {
        var fired: [ConnectionID] = []
        var current = path
        var atParent = false
        while true {
            switch table {
            case .data: Self.fire(&self.dataTable, current, atParent, type, &fired)
            case .child: Self.fire(&self.childTable, current, atParent, type, &fired)
            }
            // Ancestors matter only to recursive watches.
            if self.recursiveCount == 0 || current == "/" { break }
            current = PathValidation.parent(of: current)
            atParent = true
        }
        return fired
    }

    private static func fire(
        _ table: inout [String: [ConnectionID: Mode]],
        _ path: String,
        _ atParent: Bool,
        _ type: EventType,
        _ fired: inout [ConnectionID]
    ) {
        guard let watchers = table[path] else { return }
        for (connection, mode) in watchers.sorted(by: { $0.key < $1.key }) {
            switch mode {
            case .persistentRecursive:
                if type != .nodeChildrenChanged && !fired.contains(connection) { fired.append(connection) }
            case .persistent:
                if !atParent && !fired.contains(connection) { fired.append(connection) }
            case .standard:
                if !atParent {
                    if !fired.contains(connection) { fired.append(connection) }
                    table[path]?[connection] = nil
                }
            }
        }
        if table[path]?.isEmpty == true { table[path] = nil }
    }

    /// The number of watches and watched paths, for `wchs` and `mntr`.
    var counts: (watches: Int, paths: Int, connections: Int) {
        var watches = 0
        var connections = Set<ConnectionID>()
        for table in [self.dataTable, self.childTable] {
            for (_, byConnection) in table {
                watches += byConnection.count
                connections.formUnion(byConnection.keys)
            }
        }
        let paths = Set(self.dataTable.keys).union(self.childTable.keys).count
        return (watches, paths, connections.count)
    }

    /// Paths watched per connection, for `wchc`-like dumps.
    var pathsByConnection: [ConnectionID: [String]] {
        var result: [ConnectionID: Set<String>] = [:]
        for table in [self.dataTable, self.childTable] {
            for (path, byConnection) in table {
                for connection in byConnection.keys { result[connection, default: []].insert(path) }
            }
        }
        return result.mapValues { $0.sorted() }
    }
}
