import NIOCore
import NIOEmbedded
import Testing

@testable import CloudAPI

/// ``HTTPReadTimeoutHandler`` on an embedded channel, its clock advanced by hand.
struct HTTPReadTimeoutHandlerTests {
    static func channel() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel(
            handler: HTTPReadTimeoutHandler(headerRead: .seconds(30), bodyRead: .seconds(30))
        )
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return channel
    }

    static func send(_ channel: EmbeddedChannel, _ text: String) throws {
        try channel.writeInbound(ByteBuffer(string: text))
        _ = try channel.readInbound(as: ByteBuffer.self)
    }

    @Test func aHeadMustArriveWithinTheHeaderTimeoutFromItsFirstByte() throws {
        let channel = try Self.channel()
        // Nothing sent: the idle timeout (Hummingbird's) is not this handler's.
        channel.embeddedEventLoop.advanceTime(by: .seconds(100))
        #expect(channel.isActive)
        try Self.send(channel, "GET / HTTP/1.1\r\n")
        channel.embeddedEventLoop.advanceTime(by: .seconds(20))
        // More header bytes do not extend the head's time.
        try Self.send(channel, "Host: x\r\n")
        channel.embeddedEventLoop.advanceTime(by: .seconds(9))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(!channel.isActive)
    }

    @Test func aBodyMayNotPauseLongerThanTheBodyTimeout() throws {
        let channel = try Self.channel()
        try Self.send(channel, "POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\n")
        channel.pipeline.triggerUserOutboundEvent(HTTPRequestProgress.head, promise: nil)
        for _ in 0..<3 {
            channel.embeddedEventLoop.advanceTime(by: .seconds(25))
            try Self.send(channel, "0123456789")
        }
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(31))
        #expect(!channel.isActive)
    }

    @Test func aRequestReadFullyIsNotTimedOutWhileItsCommandRuns() throws {
        let channel = try Self.channel()
        try Self.send(channel, "GET / HTTP/1.1\r\n\r\n")
        channel.pipeline.triggerUserOutboundEvent(HTTPRequestProgress.head, promise: nil)
        channel.pipeline.triggerUserOutboundEvent(HTTPRequestProgress.end, promise: nil)
        channel.embeddedEventLoop.advanceTime(by: .seconds(300))
        #expect(channel.isActive)
        // The next request's head is timed again.
        try Self.send(channel, "GET / HT")
        channel.embeddedEventLoop.advanceTime(by: .seconds(31))
        #expect(!channel.isActive)
    }
}
