import Testing
import ZooKeeperProtocol

/// `ZooDefs.OpCode` values (reference §2) and the special xids.
struct OpCodeTests {
    static let table: [(OpCode, Int32, String)] = [
        (.notification, 0, "notification"),
        (.create, 1, "create"),
        (.delete, 2, "delete"),
        (.exists, 3, "exists"),
        (.getData, 4, "getData"),
        (.setData, 5, "setData"),
        (.getACL, 6, "getACL"),
        (.setACL, 7, "setACL"),
        (.getChildren, 8, "getChildren"),
        (.sync, 9, "sync"),
        (.ping, 11, "ping"),
        (.getChildren2, 12, "getChildren2"),
        (.check, 13, "check"),
        (.multi, 14, "multi"),
        (.create2, 15, "create2"),
        (.reconfig, 16, "reconfig"),
        (.checkWatches, 17, "checkWatches"),
        (.removeWatches, 18, "removeWatches"),
        (.createContainer, 19, "createContainer"),
        (.deleteContainer, 20, "deleteContainer"),
        (.createTTL, 21, "createTTL"),
        (.multiRead, 22, "multiRead"),
        (.auth, 100, "auth"),
        (.setWatches, 101, "setWatches"),
        (.sasl, 102, "sasl"),
        (.getEphemerals, 103, "getEphemerals"),
        (.getAllChildrenNumber, 104, "getAllChildrenNumber"),
        (.setWatches2, 105, "setWatches2"),
        (.addWatch, 106, "addWatch"),
        (.whoAmI, 107, "whoAmI"),
        (.createSession, -10, "createSession"),
        (.closeSession, -11, "closeSession"),
        (.error, -1, "error"),
    ]

    @Test(arguments: Self.table)
    func opCodeValue(op: OpCode, wire: Int32, name: String) throws {
        #expect(op.rawValue == wire)
        #expect(OpCode(rawValue: wire) == op)
        #expect(op.description == name)
        let header = try decodeWhole(RequestHeader.self, bytes(of: RequestHeader(xid: 5, type: op)))
        #expect(header.type == op)
    }

    @Test func allKnownIsTheTable() {
        #expect(OpCode.allKnown.count == Self.table.count)
        #expect(OpCode.allKnown.map(\.0) == Self.table.map(\.0))
        #expect(Set(Self.table.map(\.1)).count == Self.table.count)
    }

    @Test(arguments: [Int32(10), 23, 99, 108, -12])
    func unknownOpCodes(wire: Int32) {
        #expect(OpCode(rawValue: wire).description == "op(\(wire))")
    }

    @Test func specialXids() {
        #expect(SpecialXid.notification == -1)
        #expect(SpecialXid.ping == -2)
        #expect(SpecialXid.auth == -4)
        #expect(SpecialXid.setWatches == -8)
    }
}
