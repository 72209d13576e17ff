/// Why no host could be chosen, with the CloudStack error it becomes at the API.
public struct PlacementError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: Sendable, Hashable {
            case insufficientCapacity
            case hostNotFound
            case hostNotSuitable
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// No host of the zone fits (CloudStack's InsufficientServerCapacityException).
        public static let insufficientCapacity = Code(.insufficientCapacity)
        /// The explicit `hostid` names no host of the zone (CloudStack's InvalidParameterValueException).
        public static let hostNotFound = Code(.hostNotFound)
        /// The explicit host is down, disabled, lacks a tag or capacity, or is excluded by anti-affinity
        /// (CloudStack fails the deployment with InsufficientServerCapacityException).
        public static let hostNotSuitable = Code(.hostNotSuitable)

        /// The API's `errorcode` (and HTTP status): 533 INSUFFICIENT_CAPACITY_ERROR or 431 PARAM_ERROR.
        public var errorCode: Int {
            switch self.base {
            case .insufficientCapacity, .hostNotSuitable: 533
            case .hostNotFound: 431
            }
        }

        /// The code's name.
        public var description: String {
            switch self.base {
            case .insufficientCapacity: "insufficientCapacity"
            case .hostNotFound: "hostNotFound"
            case .hostNotSuitable: "hostNotSuitable"
            }
        }
    }

    /// The kind of failure.
    public var code: Code
    /// A sentence for `errortext`, naming the zone or host and what was missing (never capacity figures of
    /// other accounts' VMs).
    public var reason: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: the kind of failure.
    ///   - reason: a sentence for `errortext`.
    public init(_ code: Code, reason: String) {
        self.code = code
        self.reason = reason
    }

    /// The code and the reason.
    public var description: String {
        "PlacementError.\(self.code): \(self.reason)"
    }
}
