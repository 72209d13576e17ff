import Synchronization

/// Hands every value to every live listener stream; finishing ends them all. Thread-safe. Shared by the recipes and
/// the Coordination module (package access).
package final class Broadcaster<Value: Sendable>: Sendable {
    private struct State {
        var listeners: [Int: AsyncStream<Value>.Continuation] = [:]
        var nextID = 0
        var last: Value?
        var finished = false
    }

    private let state = Mutex(State())
    private let replaysLast: Bool

    /// - Parameter replaysLast: whether a new stream starts with the last value sent.
    package init(replaysLast: Bool) {
        self.replaysLast = replaysLast
    }

    /// The last value sent, if any.
    package var last: Value? { self.state.withLock { $0.last } }

    /// A new stream, starting with the last value sent when `replaysLast`.
    package func stream() -> AsyncStream<Value> {
        let (stream, continuation) = AsyncStream.makeStream(of: Value.self)
        let id: Int? = self.state.withLock { state in
            if self.replaysLast, let last = state.last { continuation.yield(last) }
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

    /// Sends a value to every listener.
    package func send(_ value: Value) {
        self.state.withLock { state in
            state.last = value
            for continuation in state.listeners.values { continuation.yield(value) }
        }
    }

    /// Ends every stream; later streams get the last value (when replayed) and end.
    package func finish() {
        let listeners = self.state.withLock { state in
            state.finished = true
            defer { state.listeners = [:] }
            return Array(state.listeners.values)
        }
        for continuation in listeners { continuation.finish() }
    }
}
