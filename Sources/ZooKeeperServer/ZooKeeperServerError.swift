/// An error starting or running the embedded ZooKeeper server.
public struct ZooKeeperServerError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable {
            case bindFailed
            case dataDirectory
            case shutDown
        }
        private let value: Value

        /// The listen address could not be bound.
        public static let bindFailed = Code(value: .bindFailed)
        /// The data directory could not be created, read or written.
        public static let dataDirectory = Code(value: .dataDirectory)
        /// The server was shut down and cannot start again.
        public static let shutDown = Code(value: .shutDown)

        public var description: String {
            switch self.value {
            case .bindFailed: "bindFailed"
            case .dataDirectory: "dataDirectory"
            case .shutDown: "shutDown"
            }
        }
    }

    /// What kind of failure.
    public var code: Code
    /// A human-readable explanation (paths and system error text, never znode data).
    public var message: String

    /// Makes an error.
    /// - Parameters:
    ///   - code: the kind.
    ///   - message: the explanation.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "ZooKeeperServerError.\(self.code): \(self.message)" }
}
