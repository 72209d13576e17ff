import Synchronization

/// Which host rows this store changed, in order, so an in-memory host inventory can re-read only those rows
/// (CloudStore records every host write it makes: capacity reservations and releases, state and tag updates,
/// inserts and deletes).
public final class HostChangeLog: Sendable {
    /// What changed since a generation.
    public enum Changes: Sendable, Hashable {
        /// Nothing changed.
        case none
        /// These hosts' rows changed (re-read them).
        case hosts(Set<String>)
        /// Hosts were added or removed, many rows changed, or the log no longer reaches back: re-read all.
        case all
    }

    private struct State {
        var generation = 0
        /// The last generation at which hosts were added, removed or changed wholesale.
        var structural = 0
        /// Recent single-host changes, oldest first.
        var recent: [(generation: Int, hostId: String)] = []
        /// The generation before the oldest entry of `recent` (changes at or before it are forgotten).
        var horizon = 0
    }

    private static let capacity = 4096
    private let state = Mutex(State())

    /// Creates an empty log.
    public init() {}

    /// The current generation: pass it to `changes(since:)` later.
    public var generation: Int {
        self.state.withLock { $0.generation }
    }

    /// Records a change of one host's row.
    /// - Parameter hostId: the host.
    public func changed(_ hostId: String) {
        self.state.withLock { state in
            state.generation += 1
            state.recent.append((state.generation, hostId))
            if state.recent.count > Self.capacity {
                let dropped = state.recent.count - Self.capacity / 2
                state.horizon = state.recent[dropped - 1].generation
                state.recent.removeFirst(dropped)
            }
        }
    }

    /// Records a change of many hosts at once, or of which hosts exist.
    public func changedAll() {
        self.state.withLock { state in
            state.generation += 1
            state.structural = state.generation
        }
    }

    /// What changed after `generation`.
    /// - Parameter generation: a value of `generation` read earlier.
    /// - Returns: the changes.
    public func changes(since generation: Int) -> Changes {
        self.state.withLock { state in
            if state.generation == generation { return .none }
            if state.structural > generation || state.horizon > generation { return .all }
            var hosts: Set<String> = []
            for entry in state.recent.reversed() {
                if entry.generation <= generation { break }
                hosts.insert(entry.hostId)
            }
            return hosts.isEmpty ? .none : .hosts(hosts)
        }
    }
}
