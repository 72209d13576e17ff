/// An error raised by a recipe itself (ZooKeeper's own errors arrive as `KeeperError` or `MultiError`).
public struct RecipeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable {
            case alreadyAcquired
            case notAcquired
            case nodeLost
            case notLeader
            case memberIdTaken
            case closed
        }

        private let value: Value

        /// `acquire` was called while this lock instance already holds or waits for the lock (it is not reentrant).
        public static let alreadyAcquired = Code(value: .alreadyAcquired)
        /// `release` was called without holding the lock.
        public static let notAcquired = Code(value: .notAcquired)
        /// The recipe's own node disappeared (its session ended) while it waited.
        public static let nodeLost = Code(value: .nodeLost)
        /// A fenced write was asked of a participant that is not the leader.
        public static let notLeader = Code(value: .notLeader)
        /// Another session holds the member node with this id.
        public static let memberIdTaken = Code(value: .memberIdTaken)
        /// The recipe was closed.
        public static let closed = Code(value: .closed)

        public var description: String {
            switch self.value {
            case .alreadyAcquired: "alreadyAcquired"
            case .notAcquired: "notAcquired"
            case .nodeLost: "nodeLost"
            case .notLeader: "notLeader"
            case .memberIdTaken: "memberIdTaken"
            case .closed: "closed"
            }
        }
    }

    /// What went wrong.
    public var code: Code

    /// Makes an error.
    /// - Parameter code: what went wrong.
    public init(_ code: Code) {
        self.code = code
    }

    public var description: String { "RecipeError(\(self.code))" }
}
