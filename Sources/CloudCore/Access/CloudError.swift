import CloudStore
import Orchestrator

/// An error of the cloud's operations, in CloudStack's terms: CloudStack's `errorcode` (also the HTTP status) and `cserrorcode` (the exception class code).
public struct CloudError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `ApiErrorCode` values (api/.../ApiErrorCode.java).
    public struct Code: Sendable, Hashable {
        /// The numeric value.
        public let rawValue: Int

        /// A code by value.
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// 401 UNAUTHORIZED.
        public static let unauthorized = Code(rawValue: 401)
        /// 405 METHOD_NOT_ALLOWED.
        public static let methodNotAllowed = Code(rawValue: 405)
        /// 431 PARAM_ERROR.
        public static let paramError = Code(rawValue: 431)
        /// 432 UNSUPPORTED_ACTION_ERROR.
        public static let unsupportedAction = Code(rawValue: 432)
        /// 530 INTERNAL_ERROR.
        public static let internalError = Code(rawValue: 530)
        /// 531 ACCOUNT_ERROR.
        public static let accountError = Code(rawValue: 531)
        /// 533 INSUFFICIENT_CAPACITY_ERROR.
        public static let insufficientCapacity = Code(rawValue: 533)
        /// 534 RESOURCE_UNAVAILABLE_ERROR.
        public static let resourceUnavailable = Code(rawValue: 534)
        /// 535 RESOURCE_ALLOCATION_ERROR (a resource limit exceeded).
        public static let resourceAllocation = Code(rawValue: 535)
        /// 536 RESOURCE_IN_USE_ERROR.
        public static let resourceInUse = Code(rawValue: 536)
        /// 537 NETWORK_RULE_CONFLICT_ERROR.
        public static let networkRuleConflict = Code(rawValue: 537)
    }

    /// The errorcode.
    public var code: Code
    /// The cserrorcode.
    public var csErrorCode: Int
    /// The errortext.
    public var text: String

    /// Creates an error.
    public init(_ code: Code, csErrorCode: Int = 9999, _ text: String) {
        self.code = code
        self.csErrorCode = csErrorCode
        self.text = text
    }

    public var description: String { "\(self.code.rawValue): \(self.text)" }

    /// 401 with CloudStack's fixed text.
    public static let unableToVerify = CloudError(
        .unauthorized,
        "unable to verify user credentials and/or request signature"
    )

    /// 431 for a missing parameter, naming it.
    public static func missingParameter(_ command: String, _ name: String) -> CloudError {
        CloudError(
            .paramError,
            csErrorCode: 4350,
            "Unable to execute API command \(command.lowercased()) due to missing parameter \(name)"
        )
    }

    /// 431 for a malformed or unknown value, naming the parameter.
    public static func invalidParameter(_ command: String, _ name: String, _ value: String) -> CloudError {
        CloudError(
            .paramError,
            csErrorCode: 4350,
            "Unable to execute API command \(command.lowercased()) due to invalid value. Invalid parameter \(name) value=\(value) due to incorrect value format, or entity does not exist"
        )
    }

    /// 431 for a value longer than the parameter's limit, with CloudStack's text (ParamProcessWorker).
    public static func tooLong(_ name: String, _ length: Int) -> CloudError {
        CloudError(
            .paramError,
            csErrorCode: 4350,
            "Value greater than max allowed length \(length) for param: \(name)"
        )
    }

    /// 431 for a number outside the values the parameter accepts, naming the parameter and the range.
    public static func outOfRange(
        _ command: String,
        _ name: String,
        _ value: String,
        _ range: ClosedRange<Int>
    ) -> CloudError {
        CloudError(
            .paramError,
            csErrorCode: 4350,
            "Unable to execute API command \(command.lowercased()) due to invalid value. Invalid parameter \(name) value=\(value): it must be between \(range.lowerBound) and \(range.upperBound)"
        )
    }

    /// 432 for a CloudStack command that ZooStack refuses on purpose, naming the part it would need.
    /// - Parameters:
    ///   - command: the command's name.
    ///   - part: what ZooStack has not built, e.g. "the NetScaler plugin".
    public static func refused(_ command: String, needs part: String) -> CloudError {
        CloudError(
            .unsupportedAction,
            csErrorCode: 9999,
            "ZooStack does not implement \(command): it needs \(part), which this cloud does not have"
        )
    }

    /// 432 for an unknown or forbidden command.
    public static func unsupported(_ command: String) -> CloudError {
        CloudError(
            .unsupportedAction,
            csErrorCode: 9999,
            "The user is not allowed to request the API command or the API command does not exist: \(command)"
        )
    }
}

extension CloudError {
    /// The one table from internal failures to wire errors (cserrorcodes from CSExceptionErrorCode.java).
    static let orchestratorTable: [OrchestratorError.Kind: (Code, Int)] = [
        .invalidParameter: (.paramError, 4350),
        .permissionDenied: (.accountError, 4365),
        .insufficientCapacity: (.insufficientCapacity, 4325),
        .resourceUnavailable: (.resourceUnavailable, 4380),
        .resourceInUse: (.resourceInUse, 4375),
        .internalError: (.internalError, 4250),
        .resourceAllocation: (.resourceAllocation, 4370),
    ]

    /// Maps any error to a wire error. Unknown errors become a generic 530 with no internals.
    /// - Parameter error: the error.
    /// - Returns: the API error.
    public static func from(_ error: any Error) -> CloudError {
        switch error {
        case let error as CloudError:
            return error
        case let error as OrchestratorError:
            let (code, cs) = Self.orchestratorTable[error.kind] ?? (.internalError, 9999)
            return CloudError(code, csErrorCode: cs, error.message)
        case let error as StoreError:
            switch error.kind {
            case .notFound: return CloudError(.paramError, csErrorCode: 4350, error.message)
            case .duplicate: return CloudError(.paramError, csErrorCode: 4350, error.message)
            case .database: return CloudError(.internalError, csErrorCode: 4250, "Internal error executing command")
            }
        default:
            return CloudError(.internalError, csErrorCode: 9999, "Internal error executing command")
        }
    }
}
