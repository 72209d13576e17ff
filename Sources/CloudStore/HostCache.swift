import CloudModel
import Synchronization

/// The hosts of each zone as the planner last read them, so that a placement decision does not decode every
/// host row of the zone again.
///
/// Capacity changes made through this store (``CloudStore/reserveCapacity(hostId:cpu:memory:)`` and
/// ``CloudStore/releaseCapacity(hostId:cpu:memory:)``) are applied to the cached rows at once; every other host
/// write drops the cache. What another management server changes is seen within ``maximumAge``. A stale row can
/// only make the planner try a host first: the reservation's compare-and-set re-checks capacity and state in
/// the database, so a stale cache never over-commits a host or places a VM on a host in maintenance.
final class HostCache: Sendable {
    /// How long a zone's hosts are reused before they are read again.
    static let maximumAge: Duration = .seconds(1)

    private struct Entry {
        var loaded: ContinuousClock.Instant
        var hosts: [Host]
        var index: [String: Int]
    }

    private let zones = Mutex<[String: Entry]>([:])

    /// The cached hosts of a zone, if fresh.
    func hosts(zoneId: String, now: ContinuousClock.Instant = .now) -> [Host]? {
        self.zones.withLock { zones in
            guard let entry = zones[zoneId], now - entry.loaded < Self.maximumAge else { return nil }
            return entry.hosts
        }
    }

    /// Stores a zone's hosts as just read.
    func store(zoneId: String, hosts: [Host], loaded: ContinuousClock.Instant) {
        var index: [String: Int] = [:]
        index.reserveCapacity(hosts.count)
        for (position, host) in hosts.enumerated() { index[host.id] = position }
        self.zones.withLock { $0[zoneId] = Entry(loaded: loaded, hosts: hosts, index: index) }
    }

    /// Applies a capacity change the database accepted.
    func adjust(hostId: String, cpu: Int, memory: Int) {
        self.zones.withLock { zones in
            for (zoneId, var entry) in zones {
                guard let position = entry.index[hostId] else { continue }
                entry.hosts[position].cpuUsed = max(0, entry.hosts[position].cpuUsed + cpu)
                entry.hosts[position].memUsed = max(0, entry.hosts[position].memUsed + memory)
                entry.hosts[position].version += 1
                zones[zoneId] = entry
                return
            }
        }
    }

    /// Forgets every zone (after any other host write).
    func invalidate() {
        self.zones.withLock { $0.removeAll() }
    }
}

extension CloudStore {
    /// The hosts of a zone for placement: from the cache when it is fresh, otherwise read (one query).
    /// - Parameter zoneId: the zone.
    /// - Returns: its hosts, in insertion order.
    /// - Throws: ``StoreError``.
    public func placementHosts(zoneId: String) async throws(StoreError) -> [Host] {
        if let cached = self.hostCache.hosts(zoneId: zoneId) { return cached }
        let began = ContinuousClock.now
        let hosts = try await self.list(Host.self, ListQuery(equals: [("zone_id", zoneId)])).items
        self.hostCache.store(zoneId: zoneId, hosts: hosts, loaded: began)
        return hosts
    }

    /// Drops the cached hosts; every host write other than a capacity change calls it.
    public func invalidateHostCache() {
        self.hostCache.invalidate()
    }
}
