import ZooKeeperClient
import ZooKeeperRecipes

/// The live hosts, as their agents registered them under `/hosts/BUCKET`, seen through a coordinator's single
/// persistent recursive watch on `/hosts` and its cache (obtained from ``Coordinator/hostDirectory``).
public struct HostDirectory: Sendable {
    let client: ZooKeeperClient
    let layout: ZNodeLayout
    let feed: Broadcaster<[String: HostInfo]>

    /// The live hosts, read from ZooKeeper now bucket by bucket, sorted by id (nodes that do not decode are left
    /// out).
    /// - Returns: the hosts.
    /// - Throws: `KeeperError` (e.g. `.connectionLoss` while ZooKeeper is unreachable; see ``lastKnownHosts``).
    public func hosts() async throws -> [HostInfo] {
        Self.decode(try await BucketedFeed.read(self.client, self.layout.hosts)).values.sorted { $0.id < $1.id }
    }

    /// Which of `ids` have a host node now, read from ZooKeeper (multiRead batches of 100): a check made right
    /// before an action that would be wrong for a host that is gone (marking it Up).
    /// - Parameter ids: the hosts.
    /// - Returns: those registered.
    /// - Throws: `KeeperError`.
    public func registered(_ ids: [String]) async throws -> Set<String> {
        let nodes = try await BucketedFeed.fetch(ids.map(self.layout.hostPath), client: self.client)
        return Set(nodes.compactMap { $0.1 == nil ? nil : $0.0 })
    }

    /// The live hosts as last seen by the watch (still answers while ZooKeeper is unreachable), sorted by id.
    public var lastKnownHosts: [HostInfo] {
        (self.feed.last ?? [:]).values.sorted { $0.id < $1.id }
    }

    /// Hosts appearing and disappearing: every live host first (`.appeared`), then each change. Survives
    /// reconnects (hosts that came or went meanwhile are reported after it) and session expiry.
    /// - Returns: the events; the stream ends when the consumer stops or the coordinator stops.
    public func events() -> AsyncStream<HostEvent> {
        let snapshots = self.feed.stream()
        return AsyncStream { continuation in
            let task = Task {
                var known: [String: HostInfo] = [:]
                // Linear in the hosts per snapshot, with no sorting: at 100,000 hosts a snapshot comes after
                // every batch of changes.
                for await hosts in snapshots {
                    for id in known.keys where hosts[id] == nil {
                        continuation.yield(.disappeared(id))
                    }
                    for (id, host) in hosts where known[id] != host {
                        continuation.yield(.appeared(host))
                    }
                    known = hosts
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Decodes snapshots of the host nodes, reusing the previous snapshot's decoding of every node that did not
    /// change (same path and modification zxid): a snapshot costs a JSON decode per changed host, not per host.
    struct Decoder {
        private var previous: [String: (path: String, zxid: Int64, host: HostInfo?)] = [:]

        mutating func decode(_ nodes: [String: ChildNode]) -> [String: HostInfo] {
            var next: [String: (path: String, zxid: Int64, host: HostInfo?)] = [:]
            next.reserveCapacity(nodes.count)
            var hosts: [String: HostInfo] = [:]
            hosts.reserveCapacity(nodes.count)
            for (id, node) in nodes {
                let host: HostInfo?
                if let old = self.previous[id], old.path == node.path, old.zxid == node.modifiedZxid,
                    node.modifiedZxid != 0
                {
                    host = old.host
                } else {
                    host = HostDirectory.decode(id, node)
                }
                next[id] = (node.path, node.modifiedZxid, host)
                if let host { hosts[id] = host }
            }
            self.previous = next
            return hosts
        }
    }

    static func decode(_ id: String, _ node: ChildNode) -> HostInfo? {
        guard var host = try? NodeJSON.decode(HostInfo.self, node.data) else { return nil }
        host.id = id
        return host
    }

    static func decode(_ nodes: [String: ChildNode]) -> [String: HostInfo] {
        var hosts: [String: HostInfo] = [:]
        for (id, node) in nodes {
            guard var host = try? NodeJSON.decode(HostInfo.self, node.data) else { continue }
            host.id = id
            hosts[id] = host
        }
        return hosts
    }
}
