/// The host HA work the leader still owes, fed by the host directory's events and drained in batches by
/// ``LeaderDuties/hostLiveness(token:)``: hosts whose node vanished (to mark Disconnected), hosts whose node came
/// back (to mark Up), and Disconnected hosts with the instant they are declared Down. Its size is bounded by the
/// number of hosts, never by the number of events, and draining it costs one statement per batch.
struct HostLivenessQueue: Sendable {
    /// Hosts whose node disappeared, not yet marked Disconnected.
    private(set) var lost: Set<String> = []
    /// Hosts whose node (re)appeared, not yet marked Up.
    private(set) var back: Set<String> = []
    /// Disconnected hosts and when they are due to be declared Down.
    private(set) var waiting: [String: ContinuousClock.Instant] = [:]

    /// A host's node disappeared.
    mutating func disappeared(_ id: String) {
        self.back.remove(id)
        self.lost.insert(id)
    }

    /// A host's node appeared (or came back): it is no longer lost nor waiting to be declared Down.
    mutating func appeared(_ id: String) {
        self.lost.remove(id)
        self.waiting[id] = nil
        self.back.insert(id)
    }

    /// Whether a batch is ready at `now`.
    func hasWork(at now: ContinuousClock.Instant) -> Bool {
        !self.back.isEmpty || !self.lost.isEmpty || self.waiting.values.contains { $0 <= now }
    }

    /// Takes up to `limit` hosts to mark Up.
    mutating func takeBack(_ limit: Int) -> [String] {
        Self.take(limit, from: &self.back)
    }

    /// Takes up to `limit` hosts to mark Disconnected.
    mutating func takeLost(_ limit: Int) -> [String] {
        Self.take(limit, from: &self.lost)
    }

    /// Puts back hosts whose move failed, unless a newer event superseded them.
    mutating func retryLost(_ ids: [String]) {
        for id in ids where !self.back.contains(id) { self.lost.insert(id) }
    }

    /// Puts back hosts whose reconnection failed, unless their node vanished again meanwhile.
    mutating func retryBack(_ ids: [String]) {
        for id in ids where !self.lost.contains(id) { self.back.insert(id) }
    }

    /// Hosts were marked Disconnected (or found so): each is declared Down at `deadline`, unless its node came
    /// back or vanished again meanwhile (a newer event decides then).
    mutating func wait(_ ids: [String], until deadline: ContinuousClock.Instant) {
        for id in ids where !self.back.contains(id) && !self.lost.contains(id) { self.waiting[id] = deadline }
    }

    /// Takes up to `limit` hosts due to be declared Down at `now`.
    mutating func takeDue(at now: ContinuousClock.Instant, _ limit: Int) -> [String] {
        var due: [String] = []
        for (id, deadline) in self.waiting where deadline <= now {
            due.append(id)
            if due.count == limit { break }
        }
        for id in due { self.waiting[id] = nil }
        return due
    }

    private static func take(_ limit: Int, from set: inout Set<String>) -> [String] {
        let batch = Array(set.prefix(limit))
        for id in batch { set.remove(id) }
        return batch
    }
}
