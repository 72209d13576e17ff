import NIOCore
import Testing
import ZooKeeperProtocol

/// One sample of one record type, with type-erased decoders, so that suites can run over every record.
struct RecordCase: Sendable, CustomTestStringConvertible {
    /// A name for test output.
    let name: String
    /// The record's Swift type name.
    let typeName: String
    /// The sample's encoding.
    let encoding: [UInt8]
    /// Prefix lengths (shorter than `encoding`) that still decode, because the record ends in optional fields.
    let validPrefixLengths: Set<Int>
    /// Whether one more byte after the encoding is read as an optional field rather than left over.
    let trailingByteExtends: Bool
    /// Decodes bytes with `decodeWhole` and tells whether the result equals the sample.
    let decodesToSample: @Sendable ([UInt8]) throws(JuteError) -> Bool
    /// Reads one record from the front of the bytes (as a caller holding a longer buffer would) and returns the
    /// bytes consumed and the record's re-encoding.
    let readAndReencode: @Sendable ([UInt8]) throws(JuteError) -> (consumed: Int, reencoded: [UInt8])

    var testDescription: String { self.name }

    init<R: JuteRecord & Hashable>(
        _ name: String,
        _ sample: R,
        validPrefixLengths: Set<Int> = [],
        trailingByteExtends: Bool = false
    ) {
        self.name = name
        self.typeName = String(describing: R.self)
        self.encoding = bytes(of: sample)
        self.validPrefixLengths = validPrefixLengths
        self.trailingByteExtends = trailingByteExtends
        self.decodesToSample = { (input: [UInt8]) throws(JuteError) -> Bool in
            try R.decodeWhole(ByteBuffer(bytes: input)) == sample
        }
        self.readAndReencode = { (input: [UInt8]) throws(JuteError) -> (consumed: Int, reencoded: [UInt8]) in
            var buffer = ByteBuffer(bytes: input)
            let record = try R(from: &buffer)
            return (input.count - buffer.readableBytes, bytes(of: record))
        }
    }
}

extension RecordCase {
    private static let stat = Samples.stat
    private static let acl = Samples.acl

    static let connectRequestWithReadOnly = ConnectRequest(
        lastZxidSeen: 0x1234,
        timeOut: 30_000,
        sessionId: 0x0100_0048_3FEB_0000,
        passwd: Array(1...16),
        readOnly: true
    )
    static let connectRequestWithoutReadOnly = ConnectRequest(timeOut: 10_000, readOnly: nil)
    static let connectResponseWithReadOnly = ConnectResponse(
        timeOut: 4000,
        sessionId: 0x0100_0048_3FEB_0000,
        passwd: Array(repeating: 0xAB, count: 16),
        readOnly: false
    )
    static let connectResponseWithoutReadOnly = ConnectResponse(
        timeOut: 40_000,
        sessionId: -1,
        passwd: [],
        readOnly: nil
    )
    static let setWatches = SetWatchesRequest(
        relativeZxid: 99,
        dataWatches: ["/a", "/b"],
        existWatches: [],
        childWatches: ["/", Samples.unicodePath]
    )
    static let setWatches2 = SetWatchesRequest(
        relativeZxid: -1,
        dataWatches: ["/d"],
        existWatches: ["/e"],
        childWatches: [],
        persistentWatches: ["/p1", "/p2"],
        persistentRecursiveWatches: ["/r"]
    )
    /// `setWatches2` cut before its persistent lists: the setWatches layout.
    static let setWatches2WithoutPersistentLists = SetWatchesRequest(
        relativeZxid: -1,
        dataWatches: ["/d"],
        existWatches: ["/e"],
        childWatches: []
    )

    /// Every multi op kind: create under all three create opcodes, createTTL, delete, setData, check, getData and
    /// getChildren.
    static let allMultiOps: [MultiOp] = [
        .create(CreateRequest(path: "/m/a", data: [1, 2], acl: acl, flags: .persistent), .create),
        .create(CreateRequest(path: "/m/b", data: nil, acl: ACL.openUnsafe, flags: .ephemeralSequential), .create2),
        .create(CreateRequest(path: "/m/c", data: [], acl: ACL.creatorAll, flags: .container), .createContainer),
        .createTTL(
            CreateTTLRequest(path: "/m/t", data: [9], acl: ACL.readUnsafe, flags: .persistentWithTTL, ttl: 60_000)
        ),
        .delete(DeleteRequest(path: "/m/a", version: -1)),
        .setData(SetDataRequest(path: "/m/b", data: Array("x".utf8), version: 3)),
        .check(CheckVersionRequest(path: "/m", version: 12)),
        .getData(GetDataRequest(path: "/m/b", watch: true)),
        .getChildren(GetChildrenRequest(path: "/m", watch: false)),
    ]

    /// Every multi result kind, the error result with several codes.
    static let allMultiResults: [MultiResult] = [
        .create(path: "/m/a"),
        .create2(path: "/m/b0000000001", stat: stat, type: .create2),
        .create2(path: "/m/c", stat: stat, type: .createContainer),
        .create2(path: "/m/t", stat: stat, type: .createTTL),
        .delete,
        .setData(stat: stat),
        .check,
        .getData(data: nil, stat: stat),
        .getData(data: [], stat: stat),
        .getData(data: [0, 255], stat: stat),
        .getChildren(children: ["a", "b0000000001"]),
        .getChildren(children: []),
        .error(.ok),
        .error(.badVersion),
        .error(.runtimeInconsistency),
        .error(.noNode),
    ]

    static let all: [RecordCase] = [
        RecordCase(
            "ConnectRequest+readOnly",
            connectRequestWithReadOnly,
            validPrefixLengths: [bytes(of: connectRequestWithReadOnly).count - 1]
        ),
        RecordCase("ConnectRequest-readOnly", connectRequestWithoutReadOnly, trailingByteExtends: true),
        RecordCase(
            "ConnectResponse+readOnly",
            connectResponseWithReadOnly,
            validPrefixLengths: [bytes(of: connectResponseWithReadOnly).count - 1]
        ),
        RecordCase("ConnectResponse-readOnly", connectResponseWithoutReadOnly, trailingByteExtends: true),
        RecordCase("RequestHeader", RequestHeader(xid: 0x7FFF_FFFF, type: .multi)),
        RecordCase("RequestHeader(ping)", RequestHeader(xid: SpecialXid.ping, type: .ping)),
        RecordCase("ReplyHeader", ReplyHeader(xid: 17, zxid: 0x0000_0001_0000_00FF, err: .noNode)),
        RecordCase("MultiHeader", MultiHeader(type: .setData, done: false, err: -1)),
        RecordCase("MultiHeader.terminator", MultiHeader.terminator),
        RecordCase("EmptyRecord", EmptyRecord()),
        RecordCase("Stat", stat),
        RecordCase("Stat(zero)", Stat()),
        RecordCase("Id", Samples.digestId),
        RecordCase("Id(empty)", Id.authIds),
        RecordCase("ACL", acl[1]),
        RecordCase("CreateRequest", CreateRequest(path: "/a", data: [1, 2, 3], acl: acl, flags: .ephemeral)),
        RecordCase("CreateRequest(nil data)", CreateRequest(path: "/a", data: nil, acl: [], flags: .container)),
        RecordCase(
            "CreateTTLRequest",
            CreateTTLRequest(
                path: "/ttl",
                data: [],
                acl: ACL.openUnsafe,
                flags: .persistentSequentialWithTTL,
                ttl: (1 << 40) - 1
            )
        ),
        RecordCase("PathAndVersionRequest", PathAndVersionRequest(path: Samples.unicodePath, version: -1)),
        RecordCase("PathAndWatchRequest", PathAndWatchRequest(path: "/w", watch: true)),
        RecordCase("PathRequest", PathRequest(path: "/")),
        RecordCase("SetDataRequest", SetDataRequest(path: "/s", data: Array(0...255), version: 0x7FFF_FFFF)),
        RecordCase("SetDataRequest(nil data)", SetDataRequest(path: "/s", data: nil, version: 1)),
        RecordCase("SetACLRequest", SetACLRequest(path: "/acl", acl: acl, version: 2)),
        RecordCase("AuthPacket", AuthPacket(scheme: "digest", auth: Array("super:test".utf8))),
        RecordCase("SetWatchesRequest(setWatches)", setWatches, trailingByteExtends: true),
        RecordCase(
            "SetWatchesRequest(setWatches2)",
            setWatches2,
            validPrefixLengths: [bytes(of: setWatches2WithoutPersistentLists).count]
        ),
        RecordCase("AddWatchRequest", AddWatchRequest(path: "/aw", mode: .persistentRecursive)),
        RecordCase("RemoveWatchesRequest", RemoveWatchesRequest(path: "/rw", type: .any)),
        RecordCase(
            "ReconfigRequest",
            ReconfigRequest(
                joiningServers: "server.4=10.0.0.4:2888:3888;2181",
                leavingServers: nil,
                newMembers: "",
                curConfigId: -1
            )
        ),
        RecordCase("PathResponse", PathResponse(path: "/seq-0000000005")),
        RecordCase("Create2Response", Create2Response(path: "/c2", stat: stat)),
        RecordCase("StatResponse", StatResponse(stat: stat)),
        RecordCase("GetDataResponse(data)", GetDataResponse(data: Array("hello".utf8), stat: stat)),
        RecordCase("GetDataResponse(empty)", GetDataResponse(data: [], stat: stat)),
        RecordCase("GetDataResponse(nil)", GetDataResponse(data: nil, stat: stat)),
        RecordCase("GetACLResponse", GetACLResponse(acl: acl, stat: stat)),
        RecordCase("StringsResponse", StringsResponse(strings: ["zookeeper", "a", "日本"])),
        RecordCase("StringsResponse(empty)", StringsResponse(strings: [])),
        RecordCase("GetChildren2Response", GetChildren2Response(children: ["x", "y"], stat: stat)),
        RecordCase("IntResponse", IntResponse(value: -121)),
        RecordCase("ClientInfo", ClientInfo(authScheme: "ip", user: "127.0.0.1")),
        RecordCase(
            "WhoAmIResponse",
            WhoAmIResponse(clientInfo: [
                ClientInfo(authScheme: "ip", user: "127.0.0.1"), ClientInfo(authScheme: "digest", user: "super"),
            ])
        ),
        RecordCase("WhoAmIResponse(empty)", WhoAmIResponse(clientInfo: [])),
        RecordCase("WatcherEvent", WatcherEvent(type: .nodeChildrenChanged, state: .syncConnected, path: "/w")),
        RecordCase("MultiRequest(all ops)", MultiRequest(ops: allMultiOps)),
        RecordCase("MultiRequest(empty)", MultiRequest(ops: [])),
        RecordCase("MultiResponse(all results)", MultiResponse(results: allMultiResults)),
        RecordCase("MultiResponse(empty)", MultiResponse(results: [])),
    ]
}
