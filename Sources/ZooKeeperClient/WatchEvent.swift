import ZooKeeperProtocol

/// A change to a watched znode, as delivered to a watch.
public struct WatchEvent: Hashable, Sendable, CustomStringConvertible {
    /// What happened.
    public var type: EventType
    /// The node's path, relative to the client's chroot.
    public var path: String

    /// Makes an event.
    /// - Parameters:
    ///   - type: what happened.
    ///   - path: the node's path.
    public init(type: EventType, path: String) {
        self.type = type
        self.path = path
    }

    public var description: String { "WatchedEvent type:\(self.type) path:\(self.path)" }
}

/// The state of a client's session, as Apache Curator names it.
public enum ConnectionState: Hashable, Sendable {
    /// The first session was established.
    case connected
    /// The connection was lost; the session may still be alive. Locks and leadership must be treated as lost.
    case suspended
    /// The same session was resumed on a (possibly different) server; watches were re-registered.
    case reconnected
    /// The server said the session is gone: its ephemeral nodes are deleted and its watches ended.
    case expired
    /// The server refused credentials given to `addAuth`; the client stops.
    case authFailed
    /// The client was closed.
    case closed
}
