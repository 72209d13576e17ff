/// An error from a ZooKeeper operation, carrying `KeeperException.Code`'s wire value.
public struct KeeperError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A `KeeperException.Code`: a wire value and its name.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The wire value (0 is OK, the rest negative).
        public var rawValue: Int32
        /// Wraps a wire value, known or not.
        /// - Parameter rawValue: the wire value.
        public init(rawValue: Int32) { self.rawValue = rawValue }

        public static let ok = Code(rawValue: 0)
        public static let systemError = Code(rawValue: -1)
        public static let runtimeInconsistency = Code(rawValue: -2)
        public static let dataInconsistency = Code(rawValue: -3)
        public static let connectionLoss = Code(rawValue: -4)
        public static let marshallingError = Code(rawValue: -5)
        public static let unimplemented = Code(rawValue: -6)
        public static let operationTimeout = Code(rawValue: -7)
        public static let badArguments = Code(rawValue: -8)
        public static let unknownSession = Code(rawValue: -12)
        public static let newConfigNoQuorum = Code(rawValue: -13)
        public static let reconfigInProgress = Code(rawValue: -14)
        public static let apiError = Code(rawValue: -100)
        public static let noNode = Code(rawValue: -101)
        public static let noAuth = Code(rawValue: -102)
        public static let badVersion = Code(rawValue: -103)
        public static let noChildrenForEphemerals = Code(rawValue: -108)
        public static let nodeExists = Code(rawValue: -110)
        public static let notEmpty = Code(rawValue: -111)
        public static let sessionExpired = Code(rawValue: -112)
        public static let invalidCallback = Code(rawValue: -113)
        public static let invalidACL = Code(rawValue: -114)
        public static let authFailed = Code(rawValue: -115)
        public static let sessionMoved = Code(rawValue: -118)
        public static let notReadOnly = Code(rawValue: -119)
        public static let ephemeralOnLocalSession = Code(rawValue: -120)
        public static let noWatcher = Code(rawValue: -121)
        public static let requestTimeout = Code(rawValue: -122)
        public static let reconfigDisabled = Code(rawValue: -123)
        public static let sessionClosedRequireSaslAuth = Code(rawValue: -124)
        public static let quotaExceeded = Code(rawValue: -125)
        public static let throttledOp = Code(rawValue: -127)

        /// Every code of `KeeperException.Code` in ZooKeeper 3.8, with its Java name.
        public static let allKnown: [(Code, String)] = [
            (.ok, "OK"), (.systemError, "SystemError"), (.runtimeInconsistency, "RuntimeInconsistency"),
            (.dataInconsistency, "DataInconsistency"), (.connectionLoss, "ConnectionLoss"),
            (.marshallingError, "MarshallingError"), (.unimplemented, "Unimplemented"),
            (.operationTimeout, "OperationTimeout"), (.badArguments, "BadArguments"),
            (.unknownSession, "UnknownSession"), (.newConfigNoQuorum, "NewConfigNoQuorum"),
            (.reconfigInProgress, "ReconfigInProgress"), (.apiError, "APIError"), (.noNode, "NoNode"),
            (.noAuth, "NoAuth"), (.badVersion, "BadVersion"), (.noChildrenForEphemerals, "NoChildrenForEphemerals"),
            (.nodeExists, "NodeExists"), (.notEmpty, "NotEmpty"), (.sessionExpired, "SessionExpired"),
            (.invalidCallback, "InvalidCallback"), (.invalidACL, "InvalidACL"), (.authFailed, "AuthFailed"),
            (.sessionMoved, "SessionMoved"), (.notReadOnly, "NotReadOnly"),
            (.ephemeralOnLocalSession, "EphemeralOnLocalSession"), (.noWatcher, "NoWatcher"),
            (.requestTimeout, "RequestTimeout"), (.reconfigDisabled, "ReconfigDisabled"),
            (.sessionClosedRequireSaslAuth, "SessionClosedRequireSaslAuth"), (.quotaExceeded, "QuotaExceeded"),
            (.throttledOp, "ThrottledOp"),
        ]

        /// The Java name (`NoNode`), or `Code(-n)` for an unknown value.
        public var name: String { Self.allKnown.first { $0.0 == self }?.1 ?? "Code(\(self.rawValue))" }

        public var description: String { "\(self.name) (\(self.rawValue))" }
    }

    /// The code.
    public var code: Code
    /// The path the operation named, when there was one (already stripped of any chroot).
    public var path: String?

    /// Makes an error.
    /// - Parameters:
    ///   - code: the KeeperException code.
    ///   - path: the path the failed operation named.
    public init(_ code: Code, path: String? = nil) {
        self.code = code
        self.path = path
    }

    public var description: String {
        if let path { return "KeeperErrorCode = \(self.code.name) for \(path)" }
        return "KeeperErrorCode = \(self.code.name)"
    }
}
