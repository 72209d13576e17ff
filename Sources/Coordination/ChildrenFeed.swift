import ZooKeeperClient
import ZooKeeperProtocol

/// One child node's path, data and version, as read by a ``ChildrenFeed`` (or a `BucketedFeed`).
public struct ChildNode: Hashable, Sendable {
    /// The node's path.
    public var path: String
    /// The node's data.
    public var data: [UInt8]
    /// The zxid of its last change.
    public var modifiedZxid: Int64
    /// When it last changed (milliseconds since 1970, the server's clock).
    public var modifiedMilliseconds: Int64
}

/// A node's children as read at one moment, and the zxid of the newest change among them.
struct ChildrenSnapshot: Hashable, Sendable {
    /// The children by name.
    var nodes: [String: ChildNode]
    /// The newest zxid that changed the set: the parent's `pzxid` (a child created or deleted) or a child's
    /// `mzxid` (its data set), whichever is larger; 0 when the parent does not exist.
    var version: Int64
}

/// The children of a node and their data, followed through a persistent recursive watch: a new snapshot after
/// every change, re-read after every reconnect (so changes missed while disconnected are caught) and after a
/// session expiry (the watch is added again). Equal consecutive snapshots are not repeated.
enum ChildrenFeed {
    /// The snapshots of `path`'s children; the stream runs until the consumer stops or the client closes.
    static func snapshots(_ client: ZooKeeperClient, _ path: String) -> AsyncStream<ChildrenSnapshot> {
        let (output, continuation) = AsyncStream.makeStream(of: ChildrenSnapshot.self)
        let (triggers, trigger) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let states = client.connectionStates()
        let stateTask = Task {
            for await state in states {
                switch state {
                case .connected, .reconnected: trigger.yield()
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
                    trigger.yield()
                    for try await _ in events { trigger.yield() }
                } catch let error as KeeperError where error.code == .connectionLoss || error.code == .sessionExpired {
                    // Wait for the session to come back.
                } catch {}
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
        let readTask = Task {
            var last: ChildrenSnapshot?
            for await _ in triggers {
                while !Task.isCancelled {
                    do {
                        let snapshot = try await readSnapshot(client, path)
                        if snapshot != last {
                            last = snapshot
                            continuation.yield(snapshot)
                        }
                        break
                    } catch {
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

    /// Reads `path`'s children and their data once (empty when `path` does not exist).
    static func read(_ client: ZooKeeperClient, _ path: String) async throws -> [String: ChildNode] {
        try await readSnapshot(client, path).nodes
    }

    /// Reads `path`'s children, their data and the snapshot's version once (empty when `path` does not exist).
    static func readSnapshot(_ client: ZooKeeperClient, _ path: String) async throws -> ChildrenSnapshot {
        let children: [String]
        var version: Int64
        do {
            let answer = try await client.getChildrenWithStat(path)
            children = answer.children
            version = answer.stat.pzxid
        } catch let error as KeeperError where error.code == .noNode {
            return ChildrenSnapshot(nodes: [:], version: 0)
        }
        var result: [String: ChildNode] = [:]
        for child in children {
            do {
                let (data, stat) = try await client.getData(path + "/" + child)
                result[child] = ChildNode(
                    path: path + "/" + child,
                    data: data,
                    modifiedZxid: stat.mzxid,
                    modifiedMilliseconds: stat.mtime
                )
                version = max(version, stat.mzxid)
            } catch let error as KeeperError where error.code == .noNode {
                continue
            }
        }
        return ChildrenSnapshot(nodes: result, version: version)
    }
}
