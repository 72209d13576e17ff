/// An error of the coordination layer, with a reason an operator can read (the API maps `.unavailable` to 530).
public struct CoordinationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Hashable, Sendable {
        /// No ZooKeeper session right now: the command needs coordination and must be refused.
        case unavailable
        /// A leader-only action was asked of a management server that is not the leader.
        case notLeader
        /// A fenced write was refused: a newer leader exists (the epoch moved on).
        case fenced
        /// A key or id is not a valid ZooKeeper node name.
        case invalidName
        /// Data in ZooKeeper could not be decoded.
        case malformedData
        /// The coordinator was stopped.
        case stopped
        /// The cluster credentials are malformed, or their file is missing, unreadable or open to other users.
        case invalidCredentials
        /// ZooKeeper refused this server's credentials on ZooStack's nodes (`NoAuth`): it was given other cluster
        /// credentials than the servers that made the nodes.
        case accessDenied
        /// A ``SessionRecord`` could not be written, or another process holds it.
        case recordFailed
    }

    /// What went wrong.
    public var code: Code
    /// Why, in words.
    public var reason: String

    /// Makes an error.
    /// - Parameters:
    ///   - code: what went wrong.
    ///   - reason: why.
    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "CoordinationError(\(self.code.rawValue)): \(self.reason)" }
}

extension String {
    /// Whether this is usable as one znode name (no slash, not `.`/`..`, not empty, no control characters).
    var isValidNodeName: Bool {
        guard !self.isEmpty, self != ".", self != "..", self != "zookeeper" else { return false }
        return !self.unicodeScalars.contains { $0 == "/" || $0.value < 0x20 || $0.value == 0x7f }
    }
}
