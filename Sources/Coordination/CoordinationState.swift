/// Whether a management server can coordinate through ZooKeeper now.
///
/// The rule: only `.connected` allows commands that need coordination and leader-only work. On `.suspended` the
/// session may still be alive, but this server cannot know whether it expired in the meantime, so a leader stops
/// acting at once (as Curator advises for `SUSPENDED`); on `.lost` the session is gone (its ephemeral nodes with it)
/// and the client is getting a new one. Both recover to `.connected` by themselves.
public enum CoordinationState: Hashable, Sendable, CustomStringConvertible {
    /// A live session.
    case connected
    /// The connection dropped; the session may still be alive and is being resumed.
    case suspended
    /// The session expired; a new one is being made.
    case lost
    /// The coordinator was stopped.
    case stopped

    /// Whether coordination is possible.
    public var isConnected: Bool { self == .connected }

    /// Why coordination is not possible, for error messages (empty when connected).
    public var reason: String {
        switch self {
        case .connected: ""
        case .suspended: "lost the connection to ZooKeeper; reconnecting (the session may still be alive)"
        case .lost: "the ZooKeeper session expired; reconnecting with a new session"
        case .stopped: "coordination was stopped"
        }
    }

    public var description: String {
        switch self {
        case .connected: "connected"
        case .suspended: "suspended"
        case .lost: "lost"
        case .stopped: "stopped"
        }
    }
}
