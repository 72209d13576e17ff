import CloudModel
import CloudStore
import Synchronization

/// The hosts of each zone held in memory for the planner, as rows and as `HostCandidate`s, so a placement decision
/// over thousands of hosts reads no rows but the few this store changed since the last decision
/// (``HostChangeLog``).
///
/// The database stays the source of truth: the copy is fully re-read when hosts are added or removed, when the
/// change log no longer reaches back, and at the latest every `maxAge` (a backstop for writes made elsewhere, such
/// as another management server's). A stale copy can only make the planner suggest a host whose capacity
/// compare-and-set then loses, and the caller moves on to the next host.
public final class HostInventory: Sendable {
    /// One zone's hosts.
    struct Zone: Sendable {
        var generation: Int
        var loaded: ContinuousClock.Instant
        var hosts: [Host]
        var candidates: [HostCandidate]
        var position: [String: Int]
        /// The zone's real (QEMU) hosts: VMs of other hypervisors' templates keep off them.
        var realHostIds: Set<String> = []
    }

    private let store: CloudStore
    private let maxAge: Duration
    private let zones = Mutex<[String: Zone]>([:])

    /// Creates an inventory.
    /// - Parameters:
    ///   - store: the store.
    ///   - maxAge: the longest a zone's copy is used without a full re-read.
    public init(store: CloudStore, maxAge: Duration = .seconds(30)) {
        self.store = store
        self.maxAge = maxAge
    }

    /// A zone's hosts, in the store's order, with their candidates (same order) and positions by id.
    func zone(_ zoneId: String) async throws(StoreError) -> Zone {
        let generation = self.store.hostChanges.generation
        let cached = self.zones.withLock { $0[zoneId] }
        if let zone = cached, ContinuousClock.now - zone.loaded < self.maxAge {
            switch self.store.hostChanges.changes(since: zone.generation) {
            case .none:
                return zone
            case .hosts(let ids):
                let fresh = try await self.store.hosts(ids: ids)
                // Patch the cached copy in place, inside the lock: taken out of the dictionary, its arrays are
                // uniquely referenced, so changing one host does not copy every host of a large zone.
                let patched = self.zones.withLock { zones -> Zone? in
                    // Another decision may have patched it meanwhile: the rows read here are as fresh as its, and
                    // a row a moment stale only costs a lost compare-and-set.
                    guard var current = zones.removeValue(forKey: zoneId) else { return nil }
                    for host in fresh where host.zoneId == zoneId || current.position[host.id] != nil {
                        guard let position = current.position[host.id], host.zoneId == zoneId else { return nil }
                        current.hosts[position] = host
                        current.candidates[position] = VirtualMachineService.candidate(host)
                        if VirtualMachineService.isReal(host) {
                            current.realHostIds.insert(host.id)
                        } else {
                            current.realHostIds.remove(host.id)
                        }
                    }
                    current.generation = max(current.generation, generation)
                    zones[zoneId] = current
                    return current
                }
                if let patched { return patched }
            case .all:
                break
            }
        }
        let hosts = Self.groupedByCluster(try await self.store.hosts(inZone: zoneId))
        var position: [String: Int] = [:]
        position.reserveCapacity(hosts.count)
        for (index, host) in hosts.enumerated() { position[host.id] = index }
        let zone = Zone(
            generation: generation,
            loaded: .now,
            hosts: hosts,
            candidates: hosts.map(VirtualMachineService.candidate),
            position: position,
            realHostIds: Set(hosts.lazy.filter(VirtualMachineService.isReal).map(\.id))
        )
        self.zones.withLock { $0[zoneId] = zone }
        return zone
    }

    /// The hosts with each cluster's together, clusters in order of first appearance and hosts in their order
    /// within a cluster: the planner's order is unchanged, and its pass compares each host's cluster with the last
    /// one instead of hashing 36-byte ids when hosts were added to clusters in turn.
    static func groupedByCluster(_ hosts: [Host]) -> [Host] {
        var rank: [String: Int] = [:]
        for host in hosts where rank[host.clusterId] == nil { rank[host.clusterId] = rank.count }
        guard rank.count > 1 else { return hosts }
        var buckets = [[Host]](repeating: [], count: rank.count)
        for host in hosts { buckets[rank[host.clusterId] ?? 0].append(host) }
        return buckets.flatMap { $0 }
    }

    /// Forgets every zone's copy (the next decision re-reads the hosts), e.g. when told of a change made by
    /// another management server.
    public func invalidate() {
        self.zones.withLock { $0.removeAll() }
    }
}
