import Synchronization
import ZooKeeperProtocol

/// Set once a one-shot watch has been triggered (before its event is handed to the consumer).
final class TriggerFlag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { self.value.withLock { $0 } }
    func set() { self.value.withLock { $0 = true } }
}

/// One consumer of watch events: a one-shot watch or a persistent watch's stream.
final class WatchSink: Sendable {
    let continuation: AsyncThrowingStream<WatchEvent, any Error>.Continuation
    let oneShot: Bool
    let triggered = TriggerFlag()

    init(continuation: AsyncThrowingStream<WatchEvent, any Error>.Continuation, oneShot: Bool) {
        self.continuation = continuation
        self.oneShot = oneShot
    }

    func deliver(_ event: WatchEvent) {
        self.triggered.set()
        self.continuation.yield(event)
        if self.oneShot { self.continuation.finish() }
    }

    func end(throwing error: (any Error)?) {
        self.continuation.finish(throwing: error)
    }
}

/// The kinds of watch a client can hold on a path.
enum WatchKind: CaseIterable, Hashable, Sendable {
    case data
    case exist
    case child
    case persistent
    case persistentRecursive
}

/// The client's watch table, keyed by server path (chroot included), and ZooKeeper's rules for which watches an
/// event triggers (`ZKWatchManager.materialize`). Pure: no I/O.
struct WatchRegistry {
    private var table: [WatchKind: [String: [WatchSink]]] = [:]

    var isEmpty: Bool { self.table.values.allSatisfy { $0.isEmpty } }

    mutating func add(_ sink: WatchSink, kind: WatchKind, path: String) {
        self.table[kind, default: [:]][path, default: []].append(sink)
    }

    func paths(_ kind: WatchKind) -> [String] {
        Array(self.table[kind, default: [:]].keys)
    }

    func has(_ kind: WatchKind, path: String) -> Bool {
        !(self.table[kind]?[path]?.isEmpty ?? true)
    }

    private mutating func take(_ kind: WatchKind, _ path: String) -> [WatchSink] {
        self.table[kind]?.removeValue(forKey: path) ?? []
    }

    /// The sinks an event on `path` triggers; one-shot watches it triggers are removed from the table.
    mutating func materialize(type: EventType, path: String) -> [WatchSink] {
        var result: [WatchSink] = []
        switch type {
        case .nodeDataChanged, .nodeCreated:
            result += self.take(.data, path)
            result += self.take(.exist, path)
        case .nodeChildrenChanged:
            result += self.take(.child, path)
        case .nodeDeleted:
            result += self.take(.data, path)
            result += self.take(.exist, path)
            result += self.take(.child, path)
        default:
            return []
        }
        result += self.table[.persistent]?[path] ?? []
        if type != .nodeChildrenChanged, let recursive = self.table[.persistentRecursive], !recursive.isEmpty {
            var p = path
            while true {
                result += recursive[p] ?? []
                if p == "/" { break }
                p = PathValidation.parent(of: p)
            }
        }
        return result
    }

    /// Removes watches of `type` on `path` (`WatcherType` any removes persistent ones too, as 3.8 does).
    mutating func remove(path: String, type: WatcherType) -> [(WatchSink, EventType)] {
        var removed: [(WatchSink, EventType)] = []
        if type == .data || type == .any {
            removed += self.take(.data, path).map { ($0, .dataWatchRemoved) }
            removed += self.take(.exist, path).map { ($0, .dataWatchRemoved) }
        }
        if type == .children || type == .any {
            removed += self.take(.child, path).map { ($0, .childWatchRemoved) }
        }
        if type == .any || type == .persistent {
            removed += self.take(.persistent, path).map { ($0, .persistentWatchRemoved) }
        }
        if type == .any || type == .persistentRecursive {
            removed += self.take(.persistentRecursive, path).map { ($0, .persistentWatchRemoved) }
        }
        return removed
    }

    /// Empties the table, returning every sink.
    mutating func removeAll() -> [WatchSink] {
        let all = self.table.values.flatMap { $0.values.flatMap { $0 } }
        self.table = [:]
        return all
    }

    /// The setWatches2 requests that re-register every watch after a reconnect, in batches of about 128 KB of
    /// paths as `ClientCnxn.primeConnection` sends them.
    func setWatchesRequests(relativeZxid: Int64, batchBytes: Int = 128 * 1024) -> [SetWatchesRequest] {
        var requests: [SetWatchesRequest] = []
        var current = SetWatchesRequest(
            relativeZxid: relativeZxid,
            dataWatches: [],
            existWatches: [],
            childWatches: [],
            persistentWatches: [],
            persistentRecursiveWatches: []
        )
        var bytes = 0
        for kind in WatchKind.allCases {
            for path in self.paths(kind) {
                if bytes + path.utf8.count > batchBytes && current.count > 0 {
                    requests.append(current)
                    current.dataWatches = []
                    current.existWatches = []
                    current.childWatches = []
                    current.persistentWatches = []
                    current.persistentRecursiveWatches = []
                    bytes = 0
                }
                bytes += path.utf8.count
                switch kind {
                case .data: current.dataWatches.append(path)
                case .exist: current.existWatches.append(path)
                case .child: current.childWatches.append(path)
                case .persistent: current.persistentWatches?.append(path)
                case .persistentRecursive: current.persistentRecursiveWatches?.append(path)
                }
            }
        }
        if current.count > 0 { requests.append(current) }
        return requests
    }
}
