/// Errors from the store. Descriptions never include SQL text or bound values.
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable, Hashable {
        /// No row matched.
        case notFound
        /// A uniqueness rule was violated (e.g. a name or IP address already taken).
        case duplicate
        /// The database failed; details are logged, not returned.
        case database
    }

    /// The kind of failure.
    public var kind: Kind
    /// A message safe to show to API callers.
    public var message: String

    /// Creates an error.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { self.message }
}
