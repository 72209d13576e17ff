import NIOCore
import Testing
import ZooKeeperProtocol

/// Every record in the module: encode, decode, compare; cut short; padded with extra bytes.
struct RecordRoundTripTests {
    @Test(arguments: RecordCase.all)
    func roundTrips(_ record: RecordCase) throws {
        #expect(try record.decodesToSample(record.encoding))
    }

    @Test(arguments: RecordCase.all)
    func readingFromALongerBufferConsumesExactlyTheRecord(_ record: RecordCase) throws {
        guard !record.trailingByteExtends else { return }
        let (consumed, reencoded) = try record.readAndReencode(record.encoding + [0xEE, 0xEE, 0xEE])
        #expect(consumed == record.encoding.count)
        #expect(reencoded == record.encoding)
    }

    /// Cutting the encoding at every length must throw `.truncated`, except where the record ends in optional
    /// fields (ConnectRequest/ConnectResponse readOnly, setWatches2's persistent lists), which decode.
    @Test(arguments: RecordCase.all)
    func everyTruncationThrows(_ record: RecordCase) {
        for cut in 0..<record.encoding.count {
            let prefix = Array(record.encoding[..<cut])
            let kind = juteErrorKind { () throws(JuteError) in _ = try record.decodesToSample(prefix) }
            if record.validPrefixLengths.contains(cut) {
                #expect(kind == nil, "\(record.name) cut at \(cut) of \(record.encoding.count)")
            } else {
                #expect(kind == .truncated, "\(record.name) cut at \(cut) of \(record.encoding.count)")
            }
        }
    }

    @Test(arguments: RecordCase.all)
    func decodeWholeRejectsLeftovers(_ record: RecordCase) {
        guard !record.trailingByteExtends else { return }
        for extra in 1...5 {
            let padded = record.encoding + [UInt8](repeating: 0, count: extra)
            let kind = juteErrorKind { () throws(JuteError) in _ = try record.decodesToSample(padded) }
            #expect(kind == .leftoverBytes(extra), "\(record.name) + \(extra) bytes")
        }
    }

    /// Every `JuteRecord` the module declares (typealiases such as `DeleteRequest` share these types).
    static let allRecordTypes: Set<String> = [
        "ConnectRequest", "ConnectResponse", "RequestHeader", "ReplyHeader", "MultiHeader", "EmptyRecord", "Stat",
        "Id", "ACL", "CreateRequest", "CreateTTLRequest", "PathAndVersionRequest", "PathAndWatchRequest",
        "PathRequest", "SetDataRequest", "SetACLRequest", "AuthPacket", "SetWatchesRequest", "AddWatchRequest",
        "RemoveWatchesRequest", "ReconfigRequest", "PathResponse", "Create2Response", "StatResponse",
        "GetDataResponse", "GetACLResponse", "StringsResponse", "GetChildren2Response", "IntResponse", "ClientInfo",
        "WhoAmIResponse", "WatcherEvent", "MultiRequest", "MultiResponse",
    ]

    @Test func catalogueCoversEveryRecordTypeWithDistinctNames() {
        #expect(Set(RecordCase.all.map(\.name)).count == RecordCase.all.count)
        #expect(Set(RecordCase.all.map(\.typeName)) == Self.allRecordTypes)
    }
}

/// The records whose last fields are optional on the wire.
struct OptionalTrailingFieldTests {
    @Test func connectRequestWithoutReadOnlyByteDecodesAsNil() throws {
        let full = bytes(of: RecordCase.connectRequestWithReadOnly)
        let request = try decodeWhole(ConnectRequest.self, Array(full.dropLast()))
        var expected = RecordCase.connectRequestWithReadOnly
        expected.readOnly = nil
        #expect(request == expected)
        #expect(bytes(of: request).count == full.count - 1)
    }

    @Test(arguments: [(UInt8(0), false), (1, true), (7, true), (0xFF, true)])
    func connectRequestReadOnlyByteIsAnyNonZero(byte: UInt8, readOnly: Bool) throws {
        let bare = bytes(of: RecordCase.connectRequestWithoutReadOnly)
        #expect(try decodeWhole(ConnectRequest.self, bare + [byte]).readOnly == readOnly)
        #expect(
            try decodeWhole(ConnectResponse.self, bytes(of: RecordCase.connectResponseWithoutReadOnly) + [byte])
                .readOnly == readOnly
        )
    }

    @Test func connectRequestDefaultsAreANewSession() {
        let request = ConnectRequest(timeOut: 30_000)
        #expect(request.protocolVersion == 0)
        #expect(request.sessionId == 0)
        #expect(request.passwd == [UInt8](repeating: 0, count: 16))
        #expect(request.readOnly == false)
        // 4 + 8 + 4 + 8 + (4 + 16) + 1
        #expect(bytes(of: request).count == 45)
    }

    @Test func connectResponseWithoutReadOnlyByteDecodesAsNil() throws {
        let full = bytes(of: RecordCase.connectResponseWithReadOnly)
        let response = try decodeWhole(ConnectResponse.self, Array(full.dropLast()))
        #expect(response.readOnly == nil)
        #expect(response.sessionId == RecordCase.connectResponseWithReadOnly.sessionId)
    }

    @Test(arguments: [(Int32(0), true), (-1, true), (1, false), (40_000, false)])
    func connectResponseExpiry(timeOut: Int32, expired: Bool) {
        #expect(ConnectResponse(timeOut: timeOut, sessionId: 0, passwd: []).isExpired == expired)
    }

    @Test func connectRequestNullPasswordDecodesAsEmpty() throws {
        var wire = Wire()
        wire.int(0)
        wire.long(0)
        wire.int(10_000)
        wire.long(0)
        wire.buffer(nil)
        let request = try decodeWhole(ConnectRequest.self, wire.bytes)
        #expect(request.passwd == [])
        #expect(request.readOnly == nil)
    }

    @Test func setWatchesLayoutsAndOpCodes() throws {
        #expect(RecordCase.setWatches.opCode == .setWatches)
        #expect(RecordCase.setWatches2.opCode == .setWatches2)
        #expect(RecordCase.setWatches.count == 4)
        #expect(RecordCase.setWatches2.count == 5)
        let v1 = bytes(of: RecordCase.setWatches2WithoutPersistentLists)
        let v2 = bytes(of: RecordCase.setWatches2)
        #expect(Array(v2.prefix(v1.count)) == v1)
        // ["/p1", "/p2"] and ["/r"]: 4 + 2 * (4 + 3) and 4 + (4 + 2).
        #expect(v2.count - v1.count == 18 + 10)
        let cut = try decodeWhole(SetWatchesRequest.self, v1)
        #expect(cut.persistentWatches == nil)
        #expect(cut.persistentRecursiveWatches == nil)
        #expect(cut.opCode == .setWatches)
    }

    @Test func setWatchesWithOneStrayByteIsTruncatedNotLeftover() {
        let padded = bytes(of: RecordCase.setWatches) + [0]
        #expect(
            decodeErrorKind(SetWatchesRequest.self, padded) == .truncated
        )
    }

    @Test func setWatchesNullVectorsDecodeAsEmpty() throws {
        var wire = Wire()
        wire.long(5)
        for _ in 0..<5 { wire.int(-1) }
        let request = try decodeWhole(SetWatchesRequest.self, wire.bytes)
        #expect(request.dataWatches == [] && request.existWatches == [] && request.childWatches == [])
        #expect(request.persistentWatches == [] && request.persistentRecursiveWatches == [])
        #expect(request.opCode == .setWatches2)
    }

    @Test func setWatches2WithOnlyOnePersistentListEncodesBoth() throws {
        let request = SetWatchesRequest(
            relativeZxid: 1,
            dataWatches: [],
            existWatches: [],
            childWatches: [],
            persistentWatches: ["/p"]
        )
        #expect(request.opCode == .setWatches2)
        let decoded = try decodeWhole(SetWatchesRequest.self, bytes(of: request))
        #expect(decoded.persistentWatches == ["/p"])
        // The absent list goes out as an empty vector, so it comes back empty, not nil.
        #expect(decoded.persistentRecursiveWatches == [])
    }
}
