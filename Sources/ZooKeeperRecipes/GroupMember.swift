import Logging
import ZooKeeperClient
import ZooKeeperProtocol

/// A member of a group, after Apache Curator's `GroupMember`: an ephemeral node `<groupPath>/<memberId>` holding
/// the member's data, there while the session lives. It is made again when the client comes back with a new session
/// (a client configured with `reconnectWithNewSessionOnExpiry`).
///
/// A member restarted after a crash finds its id held by its dead incarnation's session until ZooKeeper expires
/// it; with a ``Takeover`` it closes that session (when it was recorded) or waits it out.
public actor GroupMember {
    /// The client the member uses.
    public nonisolated let client: ZooKeeperClient
    /// The group's node.
    public nonisolated let groupPath: String
    /// This member's id (its node's name).
    public nonisolated let memberId: String
    /// The members of the group this member belongs to.
    public nonisolated var membership: GroupMembership {
        GroupMembership(client: self.client, groupPath: self.groupPath)
    }

    /// How the id is taken back from an earlier incarnation.
    let takeover: Takeover
    /// Whether ``join()`` may skip creating the group's node (the caller made it).
    let groupExists: Bool
    var data: [UInt8]
    private var joined = false
    private var monitor: Task<Void, Never>?

    /// Makes a member; it registers with ``join()``.
    /// - Parameters:
    ///   - client: the client.
    ///   - groupPath: the group's node (created when missing).
    ///   - memberId: the member's id: a valid znode name, unique in the group.
    ///   - data: the member's data.
    ///   - takeover: how to take the id back from an earlier incarnation of this member (default: never; a node
    ///     of another session is `memberIdTaken` at once).
    ///   - groupExists: the caller made the group's node (persistent, never deleted), so ``join()`` skips the
    ///     creation of each node of its path, a write per level (many members of one process join faster).
    public init(
        client: ZooKeeperClient,
        groupPath: String,
        memberId: String,
        data: [UInt8] = [],
        takeover: Takeover = Takeover(),
        groupExists: Bool = false
    ) {
        self.client = client
        self.groupPath = groupPath
        self.memberId = memberId
        self.data = data
        self.takeover = takeover
        self.groupExists = groupExists
    }

    deinit {
        self.monitor?.cancel()
    }

    var nodePath: String { RecipeSupport.join(self.groupPath, self.memberId) }

    /// Registers the member's ephemeral node.
    /// - Throws: `RecipeError` `.memberIdTaken` when another session holds the id (and the ``Takeover`` could not
    ///   free it); `KeeperError`.
    public func join() async throws {
        guard !self.joined else { return }
        if !self.groupExists { try await RecipeSupport.ensurePath(self.client, self.groupPath) }
        try await self.register()
        self.joined = true
        let states = self.client.connectionStates()
        self.monitor = Task { [weak self] in
            for await state in states where state == .reconnected || state == .connected {
                try? await self?.register()
            }
        }
    }

    /// Replaces the member's data.
    /// - Parameter data: the new data.
    /// - Throws: `KeeperError`.
    public func update(data: [UInt8]) async throws {
        self.data = data
        if self.joined { try await self.client.setData(self.nodePath, data: data) }
    }

    /// Deletes the member's node.
    /// - Throws: `KeeperError` when it could not be deleted.
    public func leave() async throws {
        guard self.joined else { return }
        self.joined = false
        self.monitor?.cancel()
        self.monitor = nil
        try await DistributedLock.delete(self.client, self.nodePath)
    }
}

/// The members of a group: the children of its node and their data.
public struct GroupMembership: Sendable {
    /// The client used to read the group.
    public var client: ZooKeeperClient
    /// The group's node.
    public var groupPath: String

    /// Makes a view of a group.
    /// - Parameters:
    ///   - client: the client.
    ///   - groupPath: the group's node.
    public init(client: ZooKeeperClient, groupPath: String) {
        self.client = client
        self.groupPath = groupPath
    }

    /// The current members and their data (empty when the group node does not exist).
    /// - Returns: member id → data.
    /// - Throws: `KeeperError`.
    public func members() async throws -> [String: [UInt8]] {
        do {
            return try await self.read(try await self.client.getChildren(self.groupPath))
        } catch let error as KeeperError where error.code == .noNode {
            return [:]
        }
    }

    /// The member set, watched: the current members first, then the set after every change (equal consecutive
    /// sets are not repeated). Reads are retried through connection loss; the stream throws when the session
    /// expires and ends when the consumer stops.
    /// - Returns: the member sets.
    public func memberUpdates() -> AsyncThrowingStream<[String: [UInt8]], any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: [String: [UInt8]].self)
        let task = Task {
            var last: [String: [UInt8]]?
            var losses = 0
            while !Task.isCancelled {
                do {
                    try await RecipeSupport.ensurePath(self.client, self.groupPath)
                    let (children, _, watch) = try await self.client.getChildrenWatch(self.groupPath)
                    let members = try await self.read(children)
                    if members != last {
                        continuation.yield(members)
                        last = members
                    }
                    losses = 0
                    _ = try await watch.event()
                } catch let error as KeeperError where error.code == .connectionLoss && losses < 300 {
                    losses += 1
                    try? await Task.sleep(for: .milliseconds(100))
                } catch {
                    continuation.finish(throwing: error)
                    return
                }
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    private func read(_ children: [String]) async throws -> [String: [UInt8]] {
        var members: [String: [UInt8]] = [:]
        for child in children {
            do {
                members[child] = try await self.client.getData(RecipeSupport.join(self.groupPath, child)).data
            } catch let error as KeeperError where error.code == .noNode {
                continue
            }
        }
        return members
    }
}
