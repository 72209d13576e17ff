import Synchronization
import ZooKeeperClient
import ZooKeeperRecipes

extension Coordinator {
    /// The live management servers (all `.up`), sorted by id.
    /// - Returns: the servers.
    /// - Throws: `KeeperError`.
    public func members() async throws -> [ManagementServerInfo] {
        Self.decodeMembers(try await ChildrenFeed.read(self.client, self.layout.managementServers))
    }

    /// The live management servers as last seen by the membership watch (still answers while ZooKeeper is
    /// unreachable, for listManagementServers), sorted by id.
    public nonisolated var lastKnownMembers: [ManagementServerInfo] { self.membersBroadcast.last ?? [] }

    /// The live management servers, watched: the current set first (once read), then the set after every change
    /// (a server joins, or its session ends). Survives reconnects and session expiry.
    /// - Returns: the sets, each sorted by id; the stream ends when the consumer stops or the coordinator stops.
    public nonisolated func membershipChanges() -> AsyncStream<[ManagementServerInfo]> {
        self.membersBroadcast.stream()
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
