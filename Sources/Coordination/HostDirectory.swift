import ZooKeeperClient

/// The live hosts, as their agents registered them under `/hosts`.
public struct HostDirectory: Sendable {
    /// The client used to read.
    public var client: ZooKeeperClient
    /// The node layout.
    public var layout: ZNodeLayout

    /// Makes a directory.
    /// - Parameters:
    ///   - client: the client.
    ///   - layout: the layout.
    public init(client: ZooKeeperClient, layout: ZNodeLayout) {
        self.client = client
        self.layout = layout
    }

    /// The live hosts, sorted by id (nodes that do not decode are left out).
    /// - Returns: the hosts.
    /// - Throws: `KeeperError`.
    public func hosts() async throws -> [HostInfo] {
        Self.decode(try await ChildrenFeed.read(self.client, self.layout.hosts)).values.sorted { $0.id < $1.id }
    }

    /// Hosts appearing and disappearing: every live host first (`.appeared`), then each change. Survives
    /// reconnects (hosts that came or went meanwhile are reported after it) and session expiry.
    /// - Returns: the events; the stream ends when the consumer stops or the client closes.
    public func events() -> AsyncStream<HostEvent> {
        let snapshots = ChildrenFeed.snapshots(self.client, self.layout.hosts)
        return AsyncStream { continuation in
            let task = Task {
                var known: [String: HostInfo] = [:]
                for await snapshot in snapshots {
                    let hosts = Self.decode(snapshot)
                    for id in known.keys.sorted() where hosts[id] == nil {
                        continuation.yield(.disappeared(id))
                    }
                    for (id, host) in hosts.sorted(by: { $0.key < $1.key }) where known[id] != host {
                        continuation.yield(.appeared(host))
                    }
                    known = hosts
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
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
