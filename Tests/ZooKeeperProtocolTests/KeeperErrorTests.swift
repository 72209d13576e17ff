import Testing
import ZooKeeperProtocol

/// `KeeperException.Code` ↔ wire value, the whole table of ZooKeeper 3.8 (reference §4).
struct KeeperErrorTests {
    static let table: [(KeeperError.Code, Int32, String)] = [
        (.ok, 0, "OK"),
        (.systemError, -1, "SystemError"),
        (.runtimeInconsistency, -2, "RuntimeInconsistency"),
        (.dataInconsistency, -3, "DataInconsistency"),
        (.connectionLoss, -4, "ConnectionLoss"),
        (.marshallingError, -5, "MarshallingError"),
        (.unimplemented, -6, "Unimplemented"),
        (.operationTimeout, -7, "OperationTimeout"),
        (.badArguments, -8, "BadArguments"),
        (.unknownSession, -12, "UnknownSession"),
        (.newConfigNoQuorum, -13, "NewConfigNoQuorum"),
        (.reconfigInProgress, -14, "ReconfigInProgress"),
        (.apiError, -100, "APIError"),
        (.noNode, -101, "NoNode"),
        (.noAuth, -102, "NoAuth"),
        (.badVersion, -103, "BadVersion"),
        (.noChildrenForEphemerals, -108, "NoChildrenForEphemerals"),
        (.nodeExists, -110, "NodeExists"),
        (.notEmpty, -111, "NotEmpty"),
        (.sessionExpired, -112, "SessionExpired"),
        (.invalidCallback, -113, "InvalidCallback"),
        (.invalidACL, -114, "InvalidACL"),
        (.authFailed, -115, "AuthFailed"),
        (.sessionMoved, -118, "SessionMoved"),
        (.notReadOnly, -119, "NotReadOnly"),
        (.ephemeralOnLocalSession, -120, "EphemeralOnLocalSession"),
        (.noWatcher, -121, "NoWatcher"),
        (.requestTimeout, -122, "RequestTimeout"),
        (.reconfigDisabled, -123, "ReconfigDisabled"),
        (.sessionClosedRequireSaslAuth, -124, "SessionClosedRequireSaslAuth"),
        (.quotaExceeded, -125, "QuotaExceeded"),
        (.throttledOp, -127, "ThrottledOp"),
    ]

    @Test func tableHas32Codes() {
        #expect(Self.table.count == 32)
        #expect(Set(Self.table.map(\.1)).count == 32)
        #expect(KeeperError.Code.allKnown.count == 32)
    }

    @Test(arguments: Self.table)
    func codeMatchesWireValueAndName(code: KeeperError.Code, wire: Int32, name: String) throws {
        #expect(code.rawValue == wire)
        #expect(KeeperError.Code(rawValue: wire) == code)
        #expect(code.name == name)
        #expect(code.description == "\(name) (\(wire))")
        #expect(KeeperError.Code.allKnown.contains { $0.0 == code && $0.1 == name })
        // Through the wire and back, in a reply header.
        let header = try decodeWhole(ReplyHeader.self, bytes(of: ReplyHeader(xid: 1, zxid: 2, err: code)))
        #expect(header.err == code)
    }

    @Test(arguments: [Int32(-116), -117, -126, -9, 1, 42, .min])
    func unknownCodesSurviveWithAGenericName(wire: Int32) {
        let code = KeeperError.Code(rawValue: wire)
        #expect(code.rawValue == wire)
        #expect(code.name == "Code(\(wire))")
    }

    @Test func errorDescriptionNamesCodeAndPath() {
        #expect(KeeperError(.noNode, path: "/a").description == "KeeperErrorCode = NoNode for /a")
        #expect(KeeperError(.connectionLoss).description == "KeeperErrorCode = ConnectionLoss")
        #expect(KeeperError(.noNode, path: "/a") != KeeperError(.noNode, path: "/b"))
    }
}
