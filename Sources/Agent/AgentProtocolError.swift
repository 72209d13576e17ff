/// A failure of the agent protocol or its transport.
public struct AgentProtocolError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable, Hashable {
        /// A frame that is not a valid message (the connection is closed).
        case malformedFrame
        /// A frame longer than ``AgentWire/maximumFrameLength`` (the connection is closed).
        case frameTooLarge
        /// The agent could not be reached.
        case unreachable
        /// The connection closed before the answer came.
        case connectionClosed
        /// No answer within the command timeout.
        case timeout
        /// The peer did not prove the cluster secret in the connection's handshake (the connection is closed).
        case authenticationFailed
    }

    /// The kind.
    public var kind: Kind
    /// A readable reason.
    public var message: String

    /// Makes an error.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { self.message }
}
