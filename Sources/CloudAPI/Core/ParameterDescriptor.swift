import CloudModel
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

    /// CloudStack's default `@Parameter(length=)`: the longest string value accepted.
    public static let defaultLength = 255

    /// The lower-case name.
    public var name: String
    /// The type.
    public var kind: Kind
    /// Whether it must be present.
    public var required: Bool
    /// One-line description.
    public var description: String
    /// The longest value accepted, in characters (CloudStack's `@Parameter(length=)`): the whole value of a string,
    /// each element of a list, each key and value of a map. nil until the registry fills in the default for the
    /// parameter's name (``ParameterLimits``).
    public var length: Int?
    /// The values an `integer` or `long` parameter accepts (nil: the whole range of its kind).
    public var range: ClosedRange<Int>?

    /// Creates a parameter.
    /// - Parameters:
    ///   - name: the lower-case name.
    ///   - kind: the type.
    ///   - required: whether it must be present.
    ///   - length: the longest value accepted (nil: CloudStack's default for the name, usually 255).
    ///   - range: the values a numeric parameter accepts (nil: its kind's range).
    ///   - description: one-line description.
    public init(
        _ name: String,
        _ kind: Kind,
        required: Bool = false,
        length: Int? = nil,
        range: ClosedRange<Int>? = nil,
        _ description: String
    ) {
        self.name = name
        self.kind = kind
        self.required = required
        self.description = description
        self.length = length
        self.range = range
    }

    /// The longest value accepted.
    public var maxLength: Int { self.length ?? Self.defaultLength }

    /// Checks a value's format; true when invalid.
    func invalid(_ value: String) -> Bool {
        switch self.kind {
        case .uuid: return !UUIDText.isValid(value)
        case .string, .list, .map: return false
        case .integer: return Int32(value) == nil
        case .long: return Int64(value) == nil
        case .boolean: return !["true", "false"].contains(value.lowercased())
        }
    }

    /// Whether a well-formed numeric value lies outside the declared range.
    func outOfRange(_ value: String) -> Bool {
        guard let range = self.range, self.kind == .integer || self.kind == .long, let number = Int(value) else {
            return false
        }
        return !range.contains(number)
    }

    /// Whether a value is longer than allowed: the whole string, or any element of a list.
    func tooLong(_ value: String) -> Bool {
        switch self.kind {
        case .string:
            return value.utf16.count > self.maxLength
        case .list:
            return value.split(separator: ",", omittingEmptySubsequences: false).contains {
                $0.utf16.count > self.maxLength
            }
        case .uuid, .integer, .long, .boolean, .map:
            return false
        }
    }

}
