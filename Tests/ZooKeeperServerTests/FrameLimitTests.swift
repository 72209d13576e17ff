import NIOCore
import NIOEmbedded
import Testing
import ZooKeeperProtocol

@testable import ZooKeeperServer

struct FrameLimitTests {
    private func pipeline(maxBuffer: Int = 1024) throws -> (EmbeddedChannel, ServerCore) {
        let config = ZooKeeperServerConfiguration(port: 0, maxBuffer: maxBuffer)
        let core = ServerCore(config: config, clock: ManualClock())
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandlers([
            FourLetterWordSniffer { core.fourLetterWord($0) },
            ByteToMessageHandler(ZooKeeperFrameDecoder(maxFrameLength: maxBuffer)),
            ServerConnectionHandler(core: core, handshakeTimeout: .seconds(10)),
        ])
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 4000)).wait()
        return (channel, core)
    }

    @Test func oversizedFrameClosesTheConnection() throws {
        let (channel, _) = try self.pipeline()
        var buffer = ByteBuffer()
        buffer.writeInteger(Int32(4096))
        buffer.writeBytes([UInt8](repeating: 0, count: 16))
        _ = try? channel.writeInbound(buffer)
        #expect(!channel.isActive)
    }

    @Test func garbageConnectRequestClosesTheConnection() throws {
        let (channel, _) = try self.pipeline()
        var buffer = ByteBuffer()
        buffer.writeInteger(Int32(3))
        buffer.writeBytes([1, 2, 3])
        try channel.writeInbound(buffer)
        #expect(!channel.isActive)
    }

    @Test func fourLetterWordIsAnsweredAndCloses() throws {
        let (channel, _) = try self.pipeline()
        try channel.writeInbound(ByteBuffer(string: "ruok"))
        let out = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(String(buffer: out) == "ruok is not executed because it is not in the whitelist.\n")
        channel.embeddedEventLoop.run()
        #expect(!channel.isActive)
    }
}
