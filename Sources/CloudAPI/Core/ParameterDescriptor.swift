/// One declared parameter of a command: listApis reports it and validation enforces it.
public struct ParameterDescriptor: Sendable, Hashable {
    /// CloudStack's parameter types (`CommandType`).
    public enum Kind: String, Sendable, Hashable {
        /// A UUID.
        case uuid
        /// Free text.
        case string
        /// A 32-bit integer.
        case integer
        /// A 64-bit integer.
        case long
        /// true/false (lenient about case, as Libcloud sends `False`).
        case boolean
        /// Comma-separated values.
        case list
        /// Indexed map (`tags[0].key=...`).
        case map
    }

    /// The lower-case name.
    public var name: String
    /// The type.
    public var kind: Kind
    /// Whether it must be present.
    public var required: Bool
    /// One-line description.
    public var description: String

    /// Creates a parameter.
    public init(_ name: String, _ kind: Kind, required: Bool = false, _ description: String) {
        self.name = name
        self.kind = kind
        self.required = required
        self.description = description
    }

    /// Checks a value; nil when valid.
    func invalid(_ value: String) -> Bool {
        switch self.kind {
        case .uuid: return !Self.isUUID(value)
        case .string, .list, .map: return false
        case .integer: return Int32(value) == nil
        case .long: return Int64(value) == nil
        case .boolean: return !["true", "false"].contains(value.lowercased())
        }
    }

    static func isUUID(_ value: String) -> Bool {
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        return parts.map(\.count) == [8, 4, 4, 4, 12] && parts.allSatisfy { $0.allSatisfy(\.isHexDigit) }
    }
}
