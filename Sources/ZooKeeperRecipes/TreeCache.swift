import ZooKeeperClient
import ZooKeeperProtocol

/// One cached node: its path, data and Stat.
public struct ChildData: Hashable, Sendable {
    /// The node's path.
    public var path: String
    /// The node's data.
    public var data: [UInt8]
    /// The node's Stat when it was read.
    public var stat: Stat
}

/// A change seen by a ``TreeCache``.
public enum TreeCacheEvent: Hashable, Sendable {
    /// A node appeared (or was first seen).
    case nodeAdded(ChildData)
    /// A node's data changed.
    case nodeUpdated(ChildData)
    /// A node went; its descendants are reported removed too.
    case nodeRemoved(path: String)
    /// The initial load (or a reload after reconnecting) is done.
    case initialized

    /// The node's path, or nil for `.initialized`.
    public var path: String? {
        switch self {
        case .nodeAdded(let data), .nodeUpdated(let data): data.path
        case .nodeRemoved(let path): path
        case .initialized: nil
        }
    }
}

/// A watched cache of a subtree, after Apache Curator's `CuratorCache`: one persistent-recursive watch (addWatch)
/// on the root plus a full initial load; each event re-reads the node it names. After `.reconnected` the tree is
/// read again and the differences are reported, since ZooKeeper does not replay persistent-watch events missed
/// while disconnected.
public actor TreeCache {
    /// The client the cache uses.
    public nonisolated let client: ZooKeeperClient
    /// The subtree's root.
    public nonisolated let path: String

    private var nodes: [String: ChildData] = [:]
    private let events = Broadcaster<TreeCacheEvent>(replaysLast: false)
    private var watcher: Task<Void, Never>?
    private var monitor: Task<Void, Never>?

    /// Makes a cache; it loads with ``start()``.
    /// - Parameters:
    ///   - client: the client.
    ///   - path: the subtree's root (it need not exist yet).
    public init(client: ZooKeeperClient, path: String) {
        self.client = client
        self.path = path
    }

    deinit {
        self.watcher?.cancel()
        self.monitor?.cancel()
    }

    /// The changes from now on; the stream ends when the cache stops.
    /// - Returns: the events.
    public nonisolated func changes() -> AsyncStream<TreeCacheEvent> {
        self.events.stream()
    }

    /// A node's cached data, or nil when it is not (known to be) there.
    /// - Parameter path: the node's path.
    /// - Returns: the cached data.
    public func currentData(_ path: String) -> ChildData? {
        self.nodes[path]
    }

    /// Every cached node, by path.
    /// - Returns: the snapshot.
    public func snapshot() -> [String: ChildData] {
        self.nodes
    }

    /// Adds the recursive watch, loads the subtree (reporting each node as added, then `.initialized`) and starts
    /// following changes.
    /// - Throws: `KeeperError`.
    public func start() async throws {
        guard self.watcher == nil else { return }
        // Watch first, then read: a change between the two is then both read and reported, never lost.
        let stream = try await self.client.addWatch(self.path, mode: .persistentRecursive)
        let states = self.client.connectionStates()
        try await self.reload()
        self.watcher = Task { [weak self] in
            do {
                for try await event in stream {
                    await self?.handle(event)
                }
            } catch {}
            await self?.finishEvents()
        }
        self.monitor = Task { [weak self] in
            for await state in states where state == .reconnected {
                try? await self?.reload()
            }
        }
    }

    /// Removes the watch and ends the change stream.
    public func stop() async {
        self.watcher?.cancel()
        self.monitor?.cancel()
        self.watcher = nil
        self.monitor = nil
        try? await self.client.removeWatches(self.path, type: .any)
        self.events.finish()
    }

    // MARK: internals

    private func finishEvents() {
        self.events.finish()
    }

    private func handle(_ event: WatchEvent) async {
        switch event.type {
        case .nodeCreated, .nodeDataChanged:
            await self.refresh(event.path)
        case .nodeDeleted:
            self.remove(event.path)
        default:
            break
        }
    }

    private func refresh(_ path: String) async {
        do {
            let (data, stat) = try await self.client.getData(path)
            self.store(ChildData(path: path, data: data, stat: stat))
        } catch let error as KeeperError where error.code == .noNode {
            self.remove(path)
        } catch {
            // Connection trouble: the reload after reconnecting catches up.
        }
    }

    private func store(_ node: ChildData) {
        if let old = self.nodes[node.path] {
            // Stale reads (an older mzxid) and repeats are not changes.
            guard node.stat.mzxid > old.stat.mzxid || node.stat.czxid != old.stat.czxid else { return }
            self.nodes[node.path] = node
            self.events.send(old.stat.czxid == node.stat.czxid ? .nodeUpdated(node) : .nodeAdded(node))
        } else {
            self.nodes[node.path] = node
            self.events.send(.nodeAdded(node))
        }
    }

    private func remove(_ path: String) {
        let prefix = path == "/" ? "/" : path + "/"
        let gone = self.nodes.keys.filter { $0 == path || $0.hasPrefix(prefix) }.sorted { $0.count > $1.count }
        for key in gone {
            self.nodes[key] = nil
            self.events.send(.nodeRemoved(path: key))
        }
    }

    private func reload() async throws {
        var seen: [String: ChildData] = [:]
        var queue = [self.path]
        while let next = queue.popLast() {
            do {
                let (data, stat) = try await self.client.getData(next)
                seen[next] = ChildData(path: next, data: data, stat: stat)
                if stat.numChildren > 0 {
                    let children = try await self.client.getChildren(next)
                    queue.append(contentsOf: children.map { RecipeSupport.join(next, $0) })
                }
            } catch let error as KeeperError where error.code == .noNode {
                continue
            }
        }
        for path in self.nodes.keys where seen[path] == nil {
            self.remove(path)
        }
        for node in seen.values.sorted(by: { $0.path < $1.path }) {
            self.store(node)
        }
        self.events.send(.initialized)
    }
}
