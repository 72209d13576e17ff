import Synchronization
import ZooKeeperClient

extension Coordinator {
    /// The live management servers (all `.up`), sorted by id.
    /// - Returns: the servers.
    /// - Throws: `KeeperError`.
    public func members() async throws -> [ManagementServerInfo] {
        Self.decodeMembers(try await ChildrenFeed.read(self.client, self.layout.managementServers))
    }

    /// The live management servers, watched: the current set first, then the set after every change (a server
    /// joins, or its session ends). Survives reconnects and session expiry.
    /// - Returns: the sets, each sorted by id; the stream ends when the consumer stops or the coordinator stops.
    public nonisolated func membershipChanges() -> AsyncStream<[ManagementServerInfo]> {
        let snapshots = ChildrenFeed.snapshots(self.client, self.layout.managementServers)
        return AsyncStream { continuation in
            let task = Task {
                for await snapshot in snapshots {
                    continuation.yield(Self.decodeMembers(snapshot))
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    static func decodeMembers(_ nodes: [String: ChildNode]) -> [ManagementServerInfo] {
        nodes.compactMap { id, node -> ManagementServerInfo? in
            guard var info = try? NodeJSON.decode(ManagementServerInfo.self, node.data) else { return nil }
            info.id = id
            return info
        }
        .sorted { $0.id < $1.id }
    }
}
