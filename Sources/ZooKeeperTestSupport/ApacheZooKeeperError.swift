/// An error raised while locating, launching or talking to an Apache ZooKeeper server under test.
///
/// The ``description`` names what failed and, when the server was launched, ends with the tail of its log,
/// so a failing test shows the Java-side cause (a missing class, a port already in use, ...).
public struct ApacheZooKeeperError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case installationNotFound
            case startupFailed
            case startupTimedOut
            case fourLetterWordFailed
            case portAllocationFailed
            case invalidConfiguration
            case shutDown
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// Java, `zookeeper.jar` or one of the jars it needs is missing.
        public static let installationNotFound = Self(.installationNotFound)
        /// The Java process could not be launched, or exited before it served requests.
        public static let startupFailed = Self(.startupFailed)
        /// The server did not answer `ruok` and `srvr` in time.
        public static let startupTimedOut = Self(.startupTimedOut)
        /// A four-letter-word exchange failed (connect, write or read).
        public static let fourLetterWordFailed = Self(.fourLetterWordFailed)
        /// No free loopback port could be bound.
        public static let portAllocationFailed = Self(.portAllocationFailed)
        /// The options or arguments are not usable (for example an ensemble of size 0).
        public static let invalidConfiguration = Self(.invalidConfiguration)
        /// The server or ensemble was already shut down.
        public static let shutDown = Self(.shutDown)

        /// The code's name, such as `startupTimedOut`.
        public var description: String {
            base.rawValue
        }
    }

    /// What kind of failure this is.
    public var code: Code
    /// A human-readable explanation.
    public var message: String
    /// The last lines of the server's log and console output, when a server was launched.
    public var serverLogTail: String?

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: What kind of failure this is.
    ///   - message: A human-readable explanation.
    ///   - serverLogTail: The last lines of the server's log, if any.
    public init(code: Code, message: String, serverLogTail: String? = nil) {
        self.code = code
        self.message = message
        self.serverLogTail = serverLogTail
    }

    /// The code, the message and, when present, the server log's tail.
    public var description: String {
        var text = "ApacheZooKeeperError.\(code): \(message)"
        if let serverLogTail, !serverLogTail.isEmpty {
            text += "\n--- server log tail ---\n\(serverLogTail)"
        }
        return text
    }
}
