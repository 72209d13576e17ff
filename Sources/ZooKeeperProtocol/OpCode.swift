/// A request type on the wire (`ZooDefs.OpCode`).
public struct OpCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The wire value.
    public var rawValue: Int32
    /// Wraps a wire value, known or not.
    /// - Parameter rawValue: the wire value.
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let notification = OpCode(rawValue: 0)
    public static let create = OpCode(rawValue: 1)
    public static let delete = OpCode(rawValue: 2)
    public static let exists = OpCode(rawValue: 3)
    public static let getData = OpCode(rawValue: 4)
    public static let setData = OpCode(rawValue: 5)
    public static let getACL = OpCode(rawValue: 6)
    public static let setACL = OpCode(rawValue: 7)
    public static let getChildren = OpCode(rawValue: 8)
    public static let sync = OpCode(rawValue: 9)
    public static let ping = OpCode(rawValue: 11)
    public static let getChildren2 = OpCode(rawValue: 12)
    public static let check = OpCode(rawValue: 13)
    public static let multi = OpCode(rawValue: 14)
    public static let create2 = OpCode(rawValue: 15)
    public static let reconfig = OpCode(rawValue: 16)
    public static let checkWatches = OpCode(rawValue: 17)
    public static let removeWatches = OpCode(rawValue: 18)
    public static let createContainer = OpCode(rawValue: 19)
    public static let deleteContainer = OpCode(rawValue: 20)
    public static let createTTL = OpCode(rawValue: 21)
    public static let multiRead = OpCode(rawValue: 22)
    public static let auth = OpCode(rawValue: 100)
    public static let setWatches = OpCode(rawValue: 101)
    public static let sasl = OpCode(rawValue: 102)
    public static let getEphemerals = OpCode(rawValue: 103)
    public static let getAllChildrenNumber = OpCode(rawValue: 104)
    public static let setWatches2 = OpCode(rawValue: 105)
    public static let addWatch = OpCode(rawValue: 106)
    public static let whoAmI = OpCode(rawValue: 107)
    public static let createSession = OpCode(rawValue: -10)
    public static let closeSession = OpCode(rawValue: -11)
    public static let error = OpCode(rawValue: -1)

    /// Every opcode ZooKeeper 3.8 defines, with its name.
    public static let allKnown: [(OpCode, String)] = [
        (.notification, "notification"), (.create, "create"), (.delete, "delete"), (.exists, "exists"),
        (.getData, "getData"), (.setData, "setData"), (.getACL, "getACL"), (.setACL, "setACL"),
        (.getChildren, "getChildren"), (.sync, "sync"), (.ping, "ping"), (.getChildren2, "getChildren2"),
        (.check, "check"), (.multi, "multi"), (.create2, "create2"), (.reconfig, "reconfig"),
        (.checkWatches, "checkWatches"), (.removeWatches, "removeWatches"), (.createContainer, "createContainer"),
        (.deleteContainer, "deleteContainer"), (.createTTL, "createTTL"), (.multiRead, "multiRead"),
        (.auth, "auth"), (.setWatches, "setWatches"), (.sasl, "sasl"), (.getEphemerals, "getEphemerals"),
        (.getAllChildrenNumber, "getAllChildrenNumber"), (.setWatches2, "setWatches2"), (.addWatch, "addWatch"),
        (.whoAmI, "whoAmI"), (.createSession, "createSession"), (.closeSession, "closeSession"),
        (.error, "error"),
    ]

    public var description: String {
        Self.allKnown.first { $0.0 == self }?.1 ?? "op(\(self.rawValue))"
    }
}

/// Special request ids (`ClientCnxn`): replies with these xids are not answers to numbered requests.
public enum SpecialXid {
    /// A watch notification from the server.
    public static let notification: Int32 = -1
    /// A ping and its reply.
    public static let ping: Int32 = -2
    /// An auth packet and its reply.
    public static let auth: Int32 = -4
    /// setWatches / setWatches2 sent while priming a connection.
    public static let setWatches: Int32 = -8
}
