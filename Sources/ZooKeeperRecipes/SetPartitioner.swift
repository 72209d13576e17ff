import ZooKeeperClient
import ZooKeeperProtocol

/// Spreads a set of items over the live members of a group, after Kazoo's `SetPartitioner` idea but without its
/// lock round: every member computes the same assignment from the same member set with rendezvous (highest random
/// weight) hashing, so a join or leave moves only the items that must move.
///
/// Each partitioner is a ``GroupMember`` of ``path``. Its partition is recomputed whenever the member set changes.
/// Members see a change at slightly different moments, so for a short while after a join or leave two members may
/// both think they own an item (or none may); use a ``DistributedLock`` or a ``FencingToken`` per item when that
/// matters.
public actor SetPartitioner {
    /// The partitioner's group node.
    public nonisolated let path: String
    /// This member's id.
    public nonisolated let memberId: String
    /// The items to spread.
    public nonisolated let items: [String]

    private let member: GroupMember
    private let partitions = Broadcaster<[String]>(replaysLast: true)
    private var watcher: Task<Void, Never>?
    private var current: [String]?

    /// Makes a partitioner; it joins with ``start()``.
    /// - Parameters:
    ///   - client: the client.
    ///   - path: the group node the members register under.
    ///   - memberId: this member's id (a valid znode name, unique in the group).
    ///   - items: the items to spread (every member must pass the same set).
    public init(client: ZooKeeperClient, path: String, memberId: String, items: [String]) {
        self.path = path
        self.memberId = memberId
        self.items = items
        self.member = GroupMember(client: client, groupPath: path, memberId: memberId)
    }

    deinit {
        self.watcher?.cancel()
    }

    /// This member's items under the last member set seen, or nil before the first.
    public var partition: [String]? { self.current }

    /// This member's partition: the current one first (when known), then each new one after a rebalance.
    /// The stream ends when the partitioner stops.
    /// - Returns: the partitions, each sorted.
    public nonisolated func partitionUpdates() -> AsyncStream<[String]> {
        self.partitions.stream()
    }

    /// Joins the group and starts following it.
    /// - Throws: `RecipeError` `.memberIdTaken`; `KeeperError`.
    public func start() async throws {
        guard self.watcher == nil else { return }
        try await self.member.join()
        let updates = self.member.membership.memberUpdates()
        self.watcher = Task { [weak self] in
            do {
                for try await members in updates {
                    await self?.rebalance(Array(members.keys))
                }
            } catch {}
            await self?.finishUpdates()
        }
    }

    /// Leaves the group and ends the partition stream.
    public func stop() async {
        self.watcher?.cancel()
        self.watcher = nil
        try? await self.member.leave()
        self.partitions.finish()
    }

    /// The assignment every member computes: item → owner by rendezvous hashing.
    /// - Parameters:
    ///   - items: the items.
    ///   - members: the live member ids.
    /// - Returns: member id → its sorted items (every member present, possibly with none).
    public static func assign(items: [String], members: [String]) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for member in members { result[member] = [] }
        guard !members.isEmpty else { return result }
        let sortedMembers = members.sorted()
        for item in items {
            var best = sortedMembers[0]
            var bestWeight = weight(item: item, member: best)
            for member in sortedMembers.dropFirst() {
                let w = weight(item: item, member: member)
                if w > bestWeight {
                    best = member
                    bestWeight = w
                }
            }
            result[best, default: []].append(item)
        }
        return result.mapValues { $0.sorted() }
    }

    // FNV-1a 64: the same in every process (Swift's Hasher is seeded per process).
    static func weight(item: String, member: String) -> UInt64 {
        // FNV-1a over member, a zero byte, then item (without building the joined bytes).
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in member.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        hash = hash &* 0x0000_0100_0000_01b3
        for byte in item.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        // A final mix, so nearby names spread.
        hash ^= hash >> 33
        hash = hash &* 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        return hash
    }

    private func rebalance(_ members: [String]) {
        let mine = Self.assign(items: self.items, members: members)[self.memberId] ?? []
        guard mine != self.current else { return }
        self.current = mine
        self.partitions.send(mine)
    }

    private func finishUpdates() {
        self.partitions.finish()
    }
}
