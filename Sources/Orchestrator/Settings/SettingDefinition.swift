import CloudModel

/// One global setting ZooStack reads: CloudStack's `ConfigKey` (name, category, description, type, default,
/// scope, dynamic), with the validation `updateConfiguration` applies.
public struct SettingDefinition: Sendable, Hashable {
    /// The kind of value, named as CloudStack's `Configuration.ValueType` (`listConfigurations`' `type`).
    public enum ValueType: Sendable, Hashable {
        /// `true` or `false`.
        case boolean
        /// A whole number between `minimum` and `maximum`.
        case number(minimum: Int, maximum: Int)
        /// A finite decimal number greater than 0 and at most `maximum` (an overprovisioning factor, a multiplier).
        case decimal(maximum: Double)
        /// Any finite decimal number (a CloudStack `Float` or `Double` setting ZooStack does not read).
        case anyDecimal
        /// A decimal number between 0 and 1 (a fraction, such as a disable threshold).
        case range
        /// Free text.
        case string
        /// One of fixed options (matched case-insensitively).
        case select([String])

        /// CloudStack's type name: Boolean, Number, Decimal, Range, String or Select.
        public var name: String {
            switch self {
            case .boolean: "Boolean"
            case .number: "Number"
            case .decimal, .anyDecimal: "Decimal"
            case .range: "Range"
            case .string: "String"
            case .select: "Select"
            }
        }
    }

    /// The setting's name, e.g. `vm.allocation.algorithm`.
    public var name: String
    /// CloudStack's category (`Advanced`, `Alert`, ...).
    public var category: String
    /// The component that reads it (`listConfigurations`' `component`).
    public var component: String
    /// A sentence saying what it does.
    public var description: String
    /// The value's type.
    public var type: ValueType
    /// The value used when no override is stored.
    public var defaultValue: String
    /// Whether a change applies without a restart (`listConfigurations`' `isdynamic`): every ZooStack setting
    /// does; catalogue settings report CloudStack's flag.
    public var isDynamic: Bool

    /// Creates a definition.
    /// - Parameters:
    ///   - name: the setting's name.
    ///   - category: CloudStack's category.
    ///   - component: the reading component.
    ///   - description: what it does.
    ///   - type: the value's type.
    ///   - defaultValue: the default.
    ///   - isDynamic: whether a change applies without a restart.
    public init(
        _ name: String,
        category: String,
        component: String,
        _ description: String,
        type: ValueType,
        defaultValue: String,
        isDynamic: Bool = true
    ) {
        self.isDynamic = isDynamic
        self.name = name
        self.category = category
        self.component = component
        self.description = description
        self.type = type
        self.defaultValue = defaultValue
    }

    /// Every setting is listed at global scope.
    public var scope: String { "global" }

    /// The allowed options of a `select` setting, comma-separated (`listConfigurations`' `options`).
    public var options: String? {
        if case .select(let options) = self.type { return options.joined(separator: ",") }
        return nil
    }

    /// Checks a new value, with CloudStack's texts (ConfigurationManagerImpl.validateConfigurationValue).
    /// - Parameter value: the proposed value.
    /// - Returns: the value normalised (trimmed; an option in its canonical case), or the error text.
    public func validate(_ value: String) -> Result<String, SettingError> {
        let value = value.trimmingWhitespace
        func fail(_ text: String) -> Result<String, SettingError> { .failure(SettingError(text)) }
        switch self.type {
        case .boolean:
            guard value == "true" || value == "false" else { return fail("Please enter either 'true' or 'false'.") }
        case .number(let minimum, let maximum):
            guard let number = Int(value) else {
                return fail("There was an error trying to parse the integer value for:\(self.name)")
            }
            if number < minimum {
                return fail(
                    minimum == 1
                        ? "Please enter a positive value for the configuration parameter:\(self.name)"
                        : "Please enter a value of at least \(minimum) for the configuration parameter:\(self.name)"
                )
            }
            if number > maximum {
                return fail(
                    "The provided value is not valid for this configuration. Please enter an integer in the range: "
                        + "[\(minimum)-\(maximum)]"
                )
            }
        case .decimal(let maximum):
            guard let number = Double(value), number.isFinite else {
                return fail("There was an error trying to parse the float value for: \(self.name)")
            }
            if number <= 0 { return fail("\(self.name) should be greater than 0") }
            if number > maximum {
                return fail(
                    "Please enter a value greater than 0 and at most \(Self.text(maximum)) for the configuration "
                        + "parameter: \(self.name)"
                )
            }
        case .anyDecimal:
            guard Double(value)?.isFinite == true else {
                return fail("There was an error trying to parse the float value for: \(self.name)")
            }
        case .range:
            guard let number = Double(value), number.isFinite else {
                return fail("There was an error trying to parse the float value for: \(self.name)")
            }
            guard number >= 0 && number <= 1 else {
                return fail("Please enter a value between 0 and 1 for the configuration parameter: \(self.name)")
            }
        case .string:
            break
        case .select(let options):
            guard let option = options.first(where: { $0.lowercased() == value.lowercased() }) else {
                return fail(
                    "The provided value is not a valid value for this configuration (Options are: "
                        + "[\(options.joined(separator: ","))])."
                )
            }
            return .success(option)
        }
        return .success(value)
    }

    /// Whether a stored or pushed value passes ``validate(_:)`` unchanged (after normalisation).
    /// - Parameter value: the value.
    /// - Returns: the normalised value, or nil when it is invalid.
    public func accepted(_ value: String) -> String? {
        if case .success(let normalized) = self.validate(value) { return normalized }
        return nil
    }

    private static func text(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
    }
}

/// Why `updateConfiguration` refused a value: CloudStack's InvalidParameterValueException text.
public struct SettingError: Error, Sendable, Hashable {
    /// The error text.
    public var text: String

    /// Creates an error.
    /// - Parameter text: the error text.
    public init(_ text: String) {
        self.text = text
    }
}

extension String {
    var trimmingWhitespace: String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}
