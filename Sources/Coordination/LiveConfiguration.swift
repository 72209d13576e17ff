import Synchronization

/// The live configuration one coordinator has applied, and its listeners. Thread-safe.
final class LiveConfiguration: Sendable {
    private struct State {
        var values: [String: String] = [:]
        var version: Int64 = 0
        var loaded = false
        var listeners: [Int: AsyncStream<ConfigurationChange>.Continuation] = [:]
        var nextID = 0
        var finished = false
    }

    private let state = Mutex(State())

    /// The values applied so far.
    var values: [String: String] { self.state.withLock { $0.values } }
    /// The newest zxid that changed the configuration applied so far (0 before the first read).
    var version: Int64 { self.state.withLock { $0.version } }

    /// A stream of every value applied so far (as changes), then each new change.
    func stream() -> AsyncStream<ConfigurationChange> {
        let (stream, continuation) = AsyncStream.makeStream(of: ConfigurationChange.self)
        let id: Int? = self.state.withLock { state in
            for (key, value) in state.values.sorted(by: { $0.key < $1.key }) {
                continuation.yield(ConfigurationChange(key: key, value: value))
            }
            if state.finished { return nil }
            let id = state.nextID
            state.nextID += 1
            state.listeners[id] = continuation
            return id
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.listeners.removeValue(forKey: id) }
        }
        return stream
    }

    /// Applies a snapshot of the config node's children: every key whose value changed (or went away) is sent.
    /// - Parameters:
    ///   - snapshot: the children.
    ///   - version: the snapshot's version (``ChildrenSnapshot/version``).
    func apply(_ snapshot: [String: ChildNode], version: Int64 = 0) {
        self.state.withLock { state in
            state.version = max(state.version, version)
            var changes: [ConfigurationChange] = []
            for (key, node) in snapshot.sorted(by: { $0.key < $1.key }) {
                let value = String(decoding: node.data, as: UTF8.self)
                if state.values[key] != value {
                    state.values[key] = value
                    changes.append(
                        ConfigurationChange(key: key, value: value, writtenMilliseconds: node.modifiedMilliseconds)
                    )
                }
            }
            for key in state.values.keys.sorted() where snapshot[key] == nil {
                state.values[key] = nil
                changes.append(ConfigurationChange(key: key, value: nil))
            }
            state.loaded = true
            for change in changes {
                for continuation in state.listeners.values { continuation.yield(change) }
            }
        }
    }

    /// Ends every stream.
    func finish() {
        let listeners = self.state.withLock { state in
            state.finished = true
            defer { state.listeners = [:] }
            return Array(state.listeners.values)
        }
        for continuation in listeners { continuation.finish() }
    }
}
