/// A failure of an orchestration step, with the CloudStack error class it corresponds to.
public struct OrchestratorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// CloudStack's exception families; the API maps each to its errorcode/cserrorcode in one table.
    public enum Kind: Sendable, Hashable, CaseIterable {
        /// InvalidParameterValueException (431/4350).
        case invalidParameter
        /// PermissionDeniedException (531/4365).
        case permissionDenied
        /// InsufficientCapacityException (533/4325).
        case insufficientCapacity
        /// ResourceInUseException (536/4375).
        case resourceInUse
        /// ResourceUnavailableException (534/4380).
        case resourceUnavailable
        /// CloudRuntimeException (530/4250).
        case internalError
        /// ResourceAllocationException (535): a resource limit would be exceeded.
        case resourceAllocation
    }

    /// The family.
    public var kind: Kind
    /// A message safe to return to callers.
    public var message: String

    /// Creates an error.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { self.message }
}
