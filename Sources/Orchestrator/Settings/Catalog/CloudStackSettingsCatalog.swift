/// Apache CloudStack's global settings as a fresh CloudStack lists them: name, default, category, component,
/// type and description, generated from CloudStack's source by `scripts/cloudstack-settings.py` (the
/// `CloudStackSettingsCatalog+*.swift` files next to this one).
///
/// ZooStack lists, stores, publishes and resets these settings like its own, but reads only its own
/// (``GlobalSettings/own``): a catalogue-only setting has no effect. A ZooStack setting of the same name always
/// wins over its catalogue entry.
public enum CloudStackSettingsCatalog {
    /// One CloudStack setting.
    public struct Entry: Sendable, Hashable {
        /// The value's Java type in CloudStack, which decides how `updateConfiguration` validates it.
        public enum Kind: Sendable, Hashable {
            /// `Boolean`: `true` or `false`.
            case boolean
            /// `Integer` or `Short`: a whole number within Int32.
            case int32
            /// `Long`: a whole number within Int64.
            case int64
            /// `Float` or `Double`: a finite number.
            case decimal
            /// Anything else: free text.
            case string
        }

        /// CloudStack's name, e.g. `consoleproxy.sslEnabled`.
        public let name: String
        /// CloudStack's default as it writes it; nil when CloudStack has none.
        public let defaultValue: String?
        /// CloudStack's category.
        public let category: String
        /// The CloudStack class that declares it.
        public let component: String
        /// The value's type.
        public let kind: Kind
        /// Whether CloudStack applies a change without a restart.
        public let isDynamic: Bool
        /// CloudStack's description.
        public let description: String

        init(
            _ name: String,
            _ defaultValue: String?,
            _ category: String,
            _ component: String,
            _ kind: Kind,
            _ isDynamic: Bool,
            _ description: String
        ) {
            self.name = name
            self.defaultValue = defaultValue
            self.category = category
            self.component = component
            self.kind = kind
            self.isDynamic = isDynamic
            self.description = description
        }

        /// The entry as a setting ZooStack lists and validates (a missing default lists as an empty value).
        public var definition: SettingDefinition {
            let type: SettingDefinition.ValueType =
                switch self.kind {
                case .boolean: .boolean
                case .int32: .number(minimum: Int(Int32.min), maximum: Int(Int32.max))
                case .int64: .number(minimum: Int(Int64.min), maximum: Int(Int64.max))
                case .decimal: .anyDecimal
                case .string: .string
                }
            return SettingDefinition(
                self.name,
                category: self.category,
                component: self.component,
                self.description,
                type: type,
                defaultValue: self.defaultValue ?? "",
                isDynamic: self.isDynamic
            )
        }
    }

    /// Every catalogue entry, in name order (names are unique).
    public static let entries: [Entry] = parts.flatMap { $0 }
}
