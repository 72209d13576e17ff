import NIOCore
import Testing
import ZooKeeperProtocol

/// multi (14) and multiRead (22): every op and result kind, and what a multi may not carry.
struct MultiTests {
    @Test(arguments: RecordCase.allMultiOps)
    func eachOpRoundTripsAlone(_ op: MultiOp) throws {
        let request = MultiRequest(ops: [op])
        let decoded = try decodeWhole(MultiRequest.self, bytes(of: request))
        #expect(decoded == request)
        #expect(decoded.ops.first?.opCode == op.opCode)
        // MultiHeader{type, false, -1} leads every op.
        let header = try decodeWhole(MultiHeader.self, Array(bytes(of: request).prefix(9)))
        #expect(header == MultiHeader(type: op.opCode, done: false, err: -1))
    }

    @Test(arguments: RecordCase.allMultiResults)
    func eachResultRoundTripsAlone(_ result: MultiResult) throws {
        let response = MultiResponse(results: [result])
        #expect(try decodeWhole(MultiResponse.self, bytes(of: response)) == response)
    }

    @Test func opCodesOfOps() {
        #expect(
            RecordCase.allMultiOps.map(\.opCode) == [
                .create, .create2, .createContainer, .createTTL, .delete, .setData, .check, .getData, .getChildren,
            ]
        )
    }

    @Test func pathsAndMapPath() {
        let ops = RecordCase.allMultiOps
        #expect(ops.map(\.path) == ["/m/a", "/m/b", "/m/c", "/m/t", "/m/a", "/m/b", "/m", "/m/b", "/m"])
        let chrooted = ops.map { $0.mapPath { "/chroot" + $0 } }
        #expect(chrooted.map(\.path) == ops.map { "/chroot" + $0.path })
        #expect(chrooted.map(\.opCode) == ops.map(\.opCode))
        #expect(chrooted.map { $0.mapPath { String($0.dropFirst("/chroot".count)) } } == ops)
    }

    @Test func resultHeadersCarryTypeAndZeroErr() throws {
        var buffer = MultiResponse(results: [.create2(path: "/c", stat: Stat(), type: .createContainer)]).encoded()
        #expect(try MultiHeader(from: &buffer) == MultiHeader(type: .createContainer, done: false, err: 0))
    }

    @Test func errorResultHeaderCarriesTheCodeToo() throws {
        var buffer = MultiResponse(results: [.error(.noNode)]).encoded()
        #expect(try MultiHeader(from: &buffer) == MultiHeader(type: .error, done: false, err: -101))
        #expect(try IntResponse(from: &buffer).value == -101)
    }

    @Test func errorCodeOfResults() {
        #expect(MultiResult.error(.notEmpty).errorCode == .notEmpty)
        #expect(MultiResult.error(.ok).errorCode == .ok)
        #expect(MultiResult.delete.errorCode == nil)
        #expect(MultiResult.create(path: "/a").errorCode == nil)
    }

    @Test(arguments: [OpCode.exists, .sync, .multi, .ping, .setACL, .getACL, .auth, .error, OpCode(rawValue: 99)])
    func opsAMultiMayNotCarryAreRejected(_ type: OpCode) {
        var wire = Wire()
        wire.int(type.rawValue)
        wire.bool(false)
        wire.int(-1)
        wire.string("/a")
        wire.bool(false)
        wire.int(-1)
        wire.bool(true)
        wire.int(-1)
        let kind = decodeErrorKind(MultiRequest.self, wire.bytes)
        #expect(kind == .invalidValue("multi op type \(type.rawValue)"))
    }

    @Test(arguments: [OpCode.exists, .sync, .multi, .getACL, .getChildren2, OpCode(rawValue: 99)])
    func resultKindsAMultiCannotReturnAreRejected(_ type: OpCode) {
        var wire = Wire()
        wire.int(type.rawValue)
        wire.bool(false)
        wire.int(0)
        let kind = decodeErrorKind(MultiResponse.self, wire.bytes)
        #expect(kind == .invalidValue("multi result type \(type.rawValue)"))
    }

    /// Java stops at the first header with done set, whatever its type and err.
    @Test func anyDoneHeaderEndsTheList() throws {
        var wire = Wire()
        wire.int(OpCode.delete.rawValue)
        wire.bool(true)
        wire.int(0)
        #expect(try decodeWhole(MultiRequest.self, wire.bytes).ops.isEmpty)
        #expect(try decodeWhole(MultiResponse.self, wire.bytes).results.isEmpty)
    }

    @Test func missingTerminatorIsTruncated() {
        let request = bytes(of: MultiRequest(ops: [.delete(DeleteRequest(path: "/a", version: 1))]))
        let kind = decodeErrorKind(MultiRequest.self, Array(request.dropLast(9)))
        #expect(kind == .truncated)
    }
}
