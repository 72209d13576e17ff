import NIOCore
import NIOEmbedded
import NIOTestUtils
import Testing
import ZooKeeperProtocol

/// `ZooKeeperFrameDecoder` and the frame writers.
struct FrameDecoderTests {
    private static func frame(_ body: [UInt8]) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeZooKeeperFrame { $0.writeBytes(body) }
        return buffer
    }

    @Test func verifierWithSeveralFrames() throws {
        let reply = bytes(of: ReplyHeader(xid: 1, zxid: 2, err: .ok)) + bytes(of: StatResponse(stat: Samples.stat))
        let event =
            bytes(of: ReplyHeader(xid: -1, zxid: -1, err: .ok))
            + bytes(of: WatcherEvent(type: .nodeCreated, state: .syncConnected, path: "/a"))
        var two = Self.frame([1, 2, 3])
        two.writeImmutableBuffer(Self.frame([]))
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: [
                (Self.frame(reply), [ByteBuffer(bytes: reply)]),
                (Self.frame(event), [ByteBuffer(bytes: event)]),
                (Self.frame([]), [ByteBuffer()]),
                (two, [ByteBuffer(bytes: [1, 2, 3]), ByteBuffer()]),
                (Self.frame(Array(repeating: 0x5A, count: 4096)), [ByteBuffer(repeating: 0x5A, count: 4096)]),
            ],
            decoderFactory: { ZooKeeperFrameDecoder() }
        )
    }

    @Test func oversizedLengthFailsBeforeTheBodyArrives() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(ZooKeeperFrameDecoder()))
        let error = #expect(throws: FrameTooLargeError.self) {
            try channel.writeInbound(ByteBuffer(bytes: [0x00, 0x10, 0x00, 0x00]))
        }
        #expect(error?.length == 0x10_0000)
        #expect(error?.limit == 0xFFFFF)
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
    }

    @Test func lengthAtTheLimitWaitsForItsBody() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(ZooKeeperFrameDecoder()))
        try channel.writeInbound(ByteBuffer(bytes: [0x00, 0x0F, 0xFF, 0xFF]))
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
        try channel.writeInbound(ByteBuffer(repeating: 7, count: 0xFFFFF))
        let body = try #require(try channel.readInbound(as: ByteBuffer.self))
        #expect(body.readableBytes == 0xFFFFF)
        #expect(try channel.finish().isClean)
    }

    @Test(arguments: [Int32(-1), -2, .min])
    func negativeLengthThrows(length: Int32) throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(ZooKeeperFrameDecoder()))
        var buffer = ByteBuffer()
        buffer.writeInteger(length)
        let error = #expect(throws: FrameTooLargeError.self) {
            try channel.writeInbound(buffer)
        }
        #expect(error?.length == length)
        #expect(error?.limit == juteDefaultMaxBuffer)
    }

    @Test func customLimit() throws {
        var decoder = ZooKeeperFrameDecoder(maxFrameLength: 16)
        #expect(decoder.maxFrameLength == 16)
        var ok = Self.frame(Array(repeating: 1, count: 16))
        #expect(try decoder.decode(buffer: &ok)?.readableBytes == 16)
        var tooBig = ByteBuffer(bytes: [0, 0, 0, 17])
        let error = #expect(throws: FrameTooLargeError.self) { try decoder.decode(buffer: &tooBig) }
        #expect(error?.description == "Packet len 17 is out of range (limit 16)")
        #expect(tooBig.readerIndex == 0)
    }

    @Test(arguments: [0, 1, 3, 4, 5, 10])
    func shortInputWaitsAndKeepsTheReaderIndex(available: Int) throws {
        var decoder = ZooKeeperFrameDecoder()
        let whole = Array(buffer: Self.frame(Array(1...7)))
        var buffer = ByteBuffer(bytes: [0xAA, 0xBB])
        buffer.moveReaderIndex(forwardBy: 2)
        buffer.writeBytes(whole.prefix(available))
        #expect(try decoder.decode(buffer: &buffer) == nil)
        #expect(buffer.readerIndex == 2)
        #expect(buffer.readableBytes == available)
        buffer.writeBytes(whole.dropFirst(available))
        #expect(try decoder.decode(buffer: &buffer) == ByteBuffer(bytes: Array(1...7)))
        #expect(buffer.readableBytes == 0)
    }

    @Test func decodeLastDropsAPartialFrame() throws {
        var decoder = ZooKeeperFrameDecoder()
        var buffer = ByteBuffer(bytes: [0, 0, 0, 5, 1, 2])
        #expect(try decoder.decodeLast(buffer: &buffer, seenEOF: true) == nil)
        var whole = Self.frame([9])
        #expect(try decoder.decodeLast(buffer: &whole, seenEOF: true) == ByteBuffer(bytes: [9]))
    }
}

struct FrameWriterTests {
    @Test func zooKeeperFramePrefixesTheLength() {
        var buffer = ByteBuffer()
        buffer.writeZooKeeperFrame { $0.writeBytes([1, 2, 3]) }
        buffer.writeZooKeeperFrame { _ in }
        buffer.writeZooKeeperFrame { $0.writeRepeatingByte(0, count: 300) }
        #expect(Array(buffer.readableBytesView.prefix(11)) == [0, 0, 0, 3, 1, 2, 3, 0, 0, 0, 0])
        #expect(Array(buffer.readableBytesView.dropFirst(11).prefix(4)) == [0, 0, 0x01, 0x2C])
        #expect(buffer.readableBytes == 11 + 4 + 300)
    }

    @Test func requestFrame() {
        var buffer = ByteBuffer()
        let header = RequestHeader(xid: 3, type: .getData)
        let body = GetDataRequest(path: "/a", watch: true)
        buffer.writeRequestFrame(header, body)
        #expect(Array(buffer: buffer) == [0, 0, 0, 15] + bytes(of: header) + bytes(of: body))
    }

    @Test func pingFrame() {
        var buffer = ByteBuffer()
        buffer.writeRequestFrame(RequestHeader(xid: SpecialXid.ping, type: .ping), EmptyRecord())
        #expect(Array(buffer: buffer) == [0, 0, 0, 8, 0xFF, 0xFF, 0xFF, 0xFE, 0, 0, 0, 11])
    }

    @Test func replyFrameWithBody() {
        var buffer = ByteBuffer()
        let header = ReplyHeader(xid: 3, zxid: 9, err: .ok)
        buffer.writeReplyFrame(header, StatResponse(stat: Samples.stat))
        #expect(Array(buffer: buffer) == [0, 0, 0, 84] + bytes(of: header) + bytes(of: Samples.stat))
    }

    /// Error replies are the 16-byte header alone [probe].
    @Test(arguments: [KeeperError.Code.noNode, .badVersion, .systemError, .noWatcher])
    func replyFrameOmitsTheBodyOnError(err: KeeperError.Code) {
        var buffer = ByteBuffer()
        let header = ReplyHeader(xid: 3, zxid: 9, err: err)
        buffer.writeReplyFrame(header, StatResponse(stat: Samples.stat))
        #expect(Array(buffer: buffer) == [0, 0, 0, 16] + bytes(of: header))
    }

    @Test func replyFrameWithoutRecord() {
        var buffer = ByteBuffer()
        buffer.writeReplyFrame(ReplyHeader(xid: 4, zxid: 1, err: .ok), EmptyRecord?.none)
        #expect(buffer.readableBytes == 20)
        #expect(buffer.getInteger(at: 0, as: Int32.self) == 16)
    }

    /// [probe] an empty multi reply is a 25-byte frame; an addWatch reply a 20-byte one.
    @Test func probeFrameSizes() {
        var multi = ByteBuffer()
        multi.writeReplyFrame(ReplyHeader(xid: 5, zxid: 1, err: .ok), MultiResponse(results: []))
        #expect(multi.getInteger(at: 0, as: Int32.self) == 25)
        var addWatch = ByteBuffer()
        addWatch.writeReplyFrame(ReplyHeader(xid: 6, zxid: 1, err: .ok), IntResponse(value: 0))
        #expect(addWatch.getInteger(at: 0, as: Int32.self) == 20)
    }

    @Test func framesDecodeBack() throws {
        var buffer = ByteBuffer()
        buffer.writeRequestFrame(RequestHeader(xid: 1, type: .sync), SyncRequest(path: "/s"))
        buffer.writeReplyFrame(ReplyHeader(xid: 1, zxid: 2, err: .ok), SyncResponse(path: "/s"))
        var decoder = ZooKeeperFrameDecoder()
        var request = try #require(try decoder.decode(buffer: &buffer))
        #expect(try RequestHeader(from: &request) == RequestHeader(xid: 1, type: .sync))
        #expect(try SyncRequest.decodeWhole(request) == SyncRequest(path: "/s"))
        var reply = try #require(try decoder.decode(buffer: &buffer))
        #expect(try ReplyHeader(from: &reply).err == .ok)
        #expect(try SyncResponse.decodeWhole(reply).path == "/s")
        #expect(try decoder.decode(buffer: &buffer) == nil)
    }
}
