import Synchronization
import ZooKeeperClient
import ZooKeeperProtocol

/// The leaves of a sharded node, `parent/BUCKET/NAME` (hosts and host owners, see ``ZNodeLayout``), by name, kept
/// in a local cache that follows changes incrementally: one persistent recursive watch on the parent, and each
/// event re-reads only the leaf it names (batched with multiRead). The whole tree is read again, in batches of
/// buckets sized so that every reply stays bounded, when the watch is (re)added and after every reconnect or new session, since
/// ZooKeeper does not replay the events of a persistent watch missed while disconnected. Like ``ChildrenFeed``, it
/// yields a snapshot after every batch of changes, never two equal ones in a row.
enum BucketedFeed {
    /// How many leaves one multiRead asks for (a reply of 100 host nodes of under 2 KB each stays far below
    /// `jute.maxbuffer`).
    static let readBatch = 100

    /// The snapshots of `path`'s leaves by name; the stream runs until the consumer stops or the client closes.
    static func snapshots(_ client: ZooKeeperClient, _ path: String) -> AsyncStream<[String: ChildNode]> {
        let (output, continuation) = AsyncStream.makeStream(of: [String: ChildNode].self)
        let (triggers, trigger) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let pending = PendingLeaves()
        let states = client.connectionStates()
        let stateTask = Task {
            for await state in states {
                switch state {
                case .connected, .reconnected:
                    pending.reloadAll()
                    trigger.yield()
                case .closed, .authFailed:
                    trigger.finish()
                    return
                case .suspended, .expired: continue
                }
            }
            trigger.finish()
        }
        let watchTask = Task {
            while !Task.isCancelled {
                do {
                    let events = try await client.addWatch(path, mode: .persistentRecursive)
                    pending.reloadAll()
                    trigger.yield()
                    for try await event in events where pending.note(event, under: path) {
                        trigger.yield()
                    }
                } catch {
                    // Connection loss or expiry: the watch is added again once the session is back.
                }
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
        let readTask = Task {
            var cache = LeafCache()
            for await _ in triggers {
                while !Task.isCancelled, let work = pending.take() {
                    do {
                        if work.reload {
                            cache.replace(with: try await self.read(client, path))
                        } else {
                            try await cache.refresh(work.paths, client: client)
                        }
                        if let snapshot = cache.takeChanges() { continuation.yield(snapshot) }
                    } catch {
                        pending.putBack(work)
                        try? await Task.sleep(for: .milliseconds(200))
                    }
                }
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in
            stateTask.cancel()
            watchTask.cancel()
            readTask.cancel()
            trigger.finish()
        }
        return output
    }

    /// How many names one bucket-listing reply should hold at most, on average: 5,000 names of 36 bytes are
    /// 200 KB, and even a batch whose buckets all hold ``ZNodeLayout/maxChildren`` stays within reach of it.
    static let namesPerReply = 5_000

    /// Reads `path`'s leaves once, buckets in batches sized so that each listing reply stays bounded (empty when
    /// `path` does not exist).
    /// - Returns: the leaves by name.
    /// - Throws: `KeeperError`.
    static func read(_ client: ZooKeeperClient, _ path: String) async throws -> [String: ChildNode] {
        let buckets: [String]
        let leaves: Int
        do {
            buckets = try await client.getChildren(path).sorted()
            // Buckets and leaves together (getAllChildrenNumber, ZooKeeper 3.6+): sizes the batches.
            leaves = max(0, try await client.getAllChildrenNumber(path) - buckets.count)
        } catch let error as KeeperError where error.code == .noNode {
            return [:]
        }
        let perBatch = max(1, min(buckets.count, Self.namesPerReply * buckets.count / max(leaves, 1)))
        var paths: [String] = []
        paths.reserveCapacity(leaves)
        for start in stride(from: 0, to: buckets.count, by: perBatch) {
            let batch = buckets[start..<min(start + perBatch, buckets.count)].map { path + "/" + $0 }
            let replies = try await client.multiRead(
                batch.map { .getChildren(GetChildrenRequest(path: $0, watch: false)) }
            )
            for (bucketPath, reply) in zip(batch, replies) {
                switch reply {
                case .getChildren(let children): paths += children.map { bucketPath + "/" + $0 }
                case .error(let code) where code == .noNode: continue
                case .error(let code): throw KeeperError(code, path: bucketPath)
                default: throw KeeperError(.marshallingError, path: bucketPath)
                }
            }
        }
        var nodes: [String: ChildNode] = [:]
        nodes.reserveCapacity(paths.count)
        for (leaf, node) in try await self.fetch(paths, client: client) {
            if let node { nodes[leaf] = node }
        }
        return nodes
    }

    /// Reads leaves' data in multiRead batches: name → node, or nil for a leaf that is gone.
    static func fetch(_ paths: [String], client: ZooKeeperClient) async throws -> [(String, ChildNode?)] {
        var result: [(String, ChildNode?)] = []
        result.reserveCapacity(paths.count)
        for start in stride(from: 0, to: paths.count, by: self.readBatch) {
            let batch = Array(paths[start..<min(start + self.readBatch, paths.count)])
            let replies = try await client.multiRead(batch.map { .getData(GetDataRequest(path: $0, watch: false)) })
            for (path, reply) in zip(batch, replies) {
                let name = String(path[path.index(after: path.lastIndex(of: "/") ?? path.startIndex)...])
                switch reply {
                case .getData(let data, let stat):
                    let node = ChildNode(
                        path: path,
                        data: data ?? [],
                        modifiedZxid: stat.mzxid,
                        modifiedMilliseconds: stat.mtime
                    )
                    result.append((name, node))
                case .error(let code) where code == .noNode:
                    result.append((name, nil))
                case .error(let code):
                    throw KeeperError(code, path: path)
                default:
                    throw KeeperError(.marshallingError, path: path)
                }
            }
        }
        return result
    }
}

/// A ``BucketedFeed``'s cache: the leaves by name, and whether they changed since the last snapshot.
private struct LeafCache {
    var nodes: [String: ChildNode] = [:]
    /// True until the first snapshot, and after every change.
    var changed = true

    mutating func replace(with fresh: [String: ChildNode]) {
        guard fresh != self.nodes else { return }
        self.nodes = fresh
        self.changed = true
    }

    mutating func refresh(_ paths: [String], client: ZooKeeperClient) async throws {
        let asked = Set(paths)
        for (name, node) in try await BucketedFeed.fetch(paths, client: client) {
            if let node {
                guard self.nodes[name] != node else { continue }
                self.nodes[name] = node
                self.changed = true
            } else if let old = self.nodes[name], asked.contains(old.path) {
                self.nodes[name] = nil
                self.changed = true
            }
        }
    }

    mutating func takeChanges() -> [String: ChildNode]? {
        guard self.changed else { return nil }
        self.changed = false
        return self.nodes
    }
}

/// What a ``BucketedFeed`` has yet to read: everything, or the leaves that events named.
private final class PendingLeaves: Sendable {
    struct Work {
        var reload = false
        var paths: Set<String> = []
    }

    private let state = Mutex(Work())

    /// Asks for a full read.
    func reloadAll() {
        self.state.withLock { $0.reload = true }
    }

    /// Notes a leaf that an event names (depth two under `parent`); returns whether there is something to read.
    func note(_ event: WatchEvent, under parent: String) -> Bool {
        guard event.path.hasPrefix(parent + "/") else { return false }
        let relative = event.path.dropFirst(parent.count + 1)
        guard relative.split(separator: "/", omittingEmptySubsequences: false).count == 2 else { return false }
        switch event.type {
        case .nodeCreated, .nodeDeleted, .nodeDataChanged:
            self.state.withLock { _ = $0.paths.insert(event.path) }
            return true
        default:
            return false
        }
    }

    /// Takes the work noted so far, or nil when there is none.
    func take() -> (reload: Bool, paths: [String])? {
        self.state.withLock { work in
            guard work.reload || !work.paths.isEmpty else { return nil }
            defer { work = Work() }
            return (work.reload, work.reload ? [] : Array(work.paths))
        }
    }

    /// Puts back work that failed, to be done again.
    func putBack(_ failed: (reload: Bool, paths: [String])) {
        self.state.withLock { work in
            work.reload = work.reload || failed.reload
            work.paths.formUnion(failed.paths)
        }
    }
}
