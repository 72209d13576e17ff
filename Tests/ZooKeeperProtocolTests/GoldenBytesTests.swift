import NIOCore
import Testing
import ZooKeeperProtocol

/// Exact bytes, computed by hand from `zookeeper.jute` and `BinaryOutputArchive` (and, where noted, seen on the
/// wire from a 3.8.0 server).
struct GoldenBytesTests {
    @Test func statIs68BytesInSchemaOrder() throws {
        let stat = Samples.stat
        var wire = Wire()
        wire.long(stat.czxid)
        wire.long(stat.mzxid)
        wire.long(stat.ctime)
        wire.long(stat.mtime)
        wire.int(stat.version)
        wire.int(stat.cversion)
        wire.int(stat.aversion)
        wire.long(stat.ephemeralOwner)
        wire.int(stat.dataLength)
        wire.int(stat.numChildren)
        wire.long(stat.pzxid)
        #expect(wire.bytes.count == 68)
        #expect(Stat.encodedSize == 68)
        #expect(bytes(of: stat) == wire.bytes)
        #expect(Array(bytes(of: stat).prefix(8)) == [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08])
        #expect(Array(bytes(of: stat).suffix(8)) == [UInt8](repeating: 0xFF, count: 8))
        #expect(try decodeWhole(Stat.self, wire.bytes) == stat)
    }

    @Test func connectResponseBodyIs37Bytes() {
        let response = ConnectResponse(
            timeOut: 4000,
            sessionId: 0x0100_0048_3FEB_0000,
            passwd: Array(repeating: 0xAB, count: 16),
            readOnly: false
        )
        let expected: [UInt8] =
            [0, 0, 0, 0]  // protocolVersion
            + [0x00, 0x00, 0x0F, 0xA0]  // timeOut 4000
            + [0x01, 0x00, 0x00, 0x48, 0x3F, 0xEB, 0x00, 0x00]  // sessionId
            + [0, 0, 0, 16] + [UInt8](repeating: 0xAB, count: 16)  // passwd
            + [0]  // readOnly
        #expect(expected.count == 37)
        #expect(bytes(of: response) == expected)
    }

    @Test func expiredConnectResponseIs16ZeroBytesOfPasswordAfterZeroes() {
        let expired = ConnectResponse(timeOut: 0, sessionId: 0, passwd: [UInt8](repeating: 0, count: 16))
        #expect(
            bytes(of: expired) == [0, 0, 0, 0, 0, 0, 0, 0] + [UInt8](repeating: 0, count: 8) + [0, 0, 0, 16]
                + [UInt8](repeating: 0, count: 17)
        )
    }

    @Test func connectRequestIs45BytesWithReadOnly() {
        let request = ConnectRequest(lastZxidSeen: 0x10, timeOut: 30_000, sessionId: 0, readOnly: true)
        let expected: [UInt8] =
            [0, 0, 0, 0]  // protocolVersion
            + [0, 0, 0, 0, 0, 0, 0, 0x10]  // lastZxidSeen
            + [0x00, 0x00, 0x75, 0x30]  // timeOut 30000
            + [0, 0, 0, 0, 0, 0, 0, 0]  // sessionId
            + [0, 0, 0, 16] + [UInt8](repeating: 0, count: 16)  // passwd
            + [1]  // readOnly
        #expect(bytes(of: request) == expected)
    }

    @Test func replyHeaderIs16Bytes() {
        #expect(
            bytes(of: ReplyHeader(xid: 1, zxid: 0x1F, err: .noNode)) == [
                0x00, 0x00, 0x00, 0x01,
                0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1F,
                0xFF, 0xFF, 0xFF, 0x9B,
            ]
        )
        // A notification's header: xid -1, zxid -1, err 0.
        #expect(
            bytes(of: ReplyHeader(xid: SpecialXid.notification, zxid: -1, err: .ok))
                == [UInt8](repeating: 0xFF, count: 12) + [0, 0, 0, 0]
        )
    }

    @Test func pingRequestHeader() {
        #expect(
            bytes(of: RequestHeader(xid: SpecialXid.ping, type: .ping)) == [
                0xFF, 0xFF, 0xFF, 0xFE, 0x00, 0x00, 0x00, 0x0B,
            ]
        )
    }

    @Test func emptyMultiReplyIsTheNineByteTerminator() throws {
        let terminator: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0xFF, 0xFF, 0xFF, 0xFF]
        #expect(bytes(of: MultiResponse(results: [])) == terminator)
        #expect(bytes(of: MultiRequest(ops: [])) == terminator)
        #expect(bytes(of: MultiHeader.terminator) == terminator)
        #expect(try decodeWhole(MultiResponse.self, terminator).results.isEmpty)
    }

    /// [probe] `[create, check(bad version), delete]` → `[(-1,0), (-1,-103), (-1,-2)]`.
    @Test func failedMultiProbeReply() throws {
        let expected: [UInt8] =
            [0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]
            + [0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0xFF, 0xFF, 0xFF, 0x99, 0xFF, 0xFF, 0xFF, 0x99]
            + [0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0xFF, 0xFF, 0xFF, 0xFE, 0xFF, 0xFF, 0xFF, 0xFE]
            + [0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0xFF, 0xFF, 0xFF, 0xFF]
        let response = MultiResponse(results: [.error(.ok), .error(.badVersion), .error(.runtimeInconsistency)])
        #expect(bytes(of: response) == expected)
        let decoded = try decodeWhole(MultiResponse.self, expected)
        #expect(decoded.results.map(\.errorCode) == [.ok, .badVersion, .runtimeInconsistency])
    }

    @Test func multiRequestOfOneCreate() {
        let request = MultiRequest(ops: [
            .create(CreateRequest(path: "/a", data: nil, acl: ACL.openUnsafe, flags: .persistent), .create)
        ])
        let expected: [UInt8] =
            [0x00, 0x00, 0x00, 0x01, 0x00, 0xFF, 0xFF, 0xFF, 0xFF]  // MultiHeader{create, false, -1}
            + [0x00, 0x00, 0x00, 0x02, 0x2F, 0x61]  // path "/a"
            + [0xFF, 0xFF, 0xFF, 0xFF]  // data: null
            + [0x00, 0x00, 0x00, 0x01]  // one ACL
            + [0x00, 0x00, 0x00, 0x1F]  // perms ALL
            + [0x00, 0x00, 0x00, 0x05] + Array("world".utf8)
            + [0x00, 0x00, 0x00, 0x06] + Array("anyone".utf8)
            + [0x00, 0x00, 0x00, 0x00]  // flags PERSISTENT
            + [0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0xFF, 0xFF, 0xFF, 0xFF]  // terminator
        #expect(bytes(of: request) == expected)
    }

    @Test func getDataResponseNullAndEmptyDataDiffer() throws {
        let stat = Stat()
        let null = bytes(of: GetDataResponse(data: nil, stat: stat))
        let empty = bytes(of: GetDataResponse(data: [], stat: stat))
        #expect(Array(null.prefix(4)) == [0xFF, 0xFF, 0xFF, 0xFF])
        #expect(Array(empty.prefix(4)) == [0x00, 0x00, 0x00, 0x00])
        #expect(null.count == 72 && empty.count == 72)
        #expect(try decodeWhole(GetDataResponse.self, null).data == nil)
        #expect(try decodeWhole(GetDataResponse.self, empty).data == [])
        #expect(try decodeWhole(GetDataResponse.self, null) != decodeWhole(GetDataResponse.self, empty))
    }

    @Test func watcherEvent() {
        let event = WatcherEvent(type: .nodeDeleted, state: .syncConnected, path: "/é")
        #expect(
            bytes(of: event) == [
                0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x03, 0x2F, 0xC3, 0xA9,
            ]
        )
    }

    @Test func authPacket() {
        let packet = AuthPacket(scheme: "digest", auth: Array("u:p".utf8))
        #expect(
            bytes(of: packet) == [0, 0, 0, 0] + [0, 0, 0, 6] + Array("digest".utf8) + [0, 0, 0, 3] + Array("u:p".utf8)
        )
    }

    @Test func reconfigNullAndEmptyStringsDiffer() {
        let request = ReconfigRequest(joiningServers: nil, leavingServers: "", newMembers: nil, curConfigId: 1)
        #expect(
            bytes(of: request) == [0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 1]
        )
    }

    /// kazoo writes `""` as a -1 string; paths and names accept that as empty.
    @Test func nullStringReadsAsEmptyWhereAStringIsRequired() throws {
        #expect(try decodeWhole(PathRequest.self, [0xFF, 0xFF, 0xFF, 0xFF]).path == "")
        #expect(try decodeWhole(Id.self, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]) == Id(scheme: "", id: ""))
        #expect(try decodeWhole(StringsResponse.self, [0xFF, 0xFF, 0xFF, 0xFF]).strings == [])
        #expect(try decodeWhole(StringsResponse.self, [0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0xFF]).strings == [""])
    }

    /// Java's `new String(bytes, UTF_8)` replaces malformed input, and so does this decoder: the Java client's
    /// CESU-8 surrogates come through as U+FFFD, which path validation then refuses.
    @Test func malformedUTF8IsReplacedNotRejected() throws {
        // "/" then U+1F600 as Java writes it: two 3-byte surrogates (ED A0 BD, ED B8 80).
        let cesu: [UInt8] = [0x2F, 0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80]
        let path = try decodeWhole(PathRequest.self, [0, 0, 0, 7] + cesu).path
        #expect(path.unicodeScalars.first == "/")
        #expect(path.unicodeScalars.dropFirst().allSatisfy { $0 == "\u{FFFD}" })
        #expect(!PathValidation.isValid(path))
    }
}
