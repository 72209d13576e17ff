import Foundation
import NIOCore
import Testing
import ZooKeeperClient
import ZooKeeperProtocol
import ZooKeeperTestSupport

/// Hostile input against the running binary: each bad connection is closed (or answered with the protocol's
/// error) and a well-behaved client's session, ephemeral node and data are unaffected.
@Suite struct HostileInputTests {
    /// A bystander session with data and an ephemeral node, checked after each attack.
    struct Bystander {
        let client: ZooKeeperClient
        let sessionId: Int64
        let path: String

        static func make(_ server: ZooStackServerProcess) async throws -> Bystander {
            let client = try await ZooKeeperClient.connect(connectString: server.connectString)
            let path = "/bystander-\(UInt32.random(in: .min ... .max))"
            try await client.create(path, data: Array("kept".utf8))
            try await client.create("\(path)/eph", mode: .ephemeral)
            return Bystander(client: client, sessionId: try await client.session.sessionId, path: path)
        }

        func expectUnaffected(after attack: String) async throws {
            #expect(try await self.client.session.sessionId == self.sessionId, "session changed after \(attack)")
            #expect(try await self.client.getData(self.path).data == Array("kept".utf8), "data after \(attack)")
            let owner = try await self.client.exists("\(self.path)/eph")?.ephemeralOwner
            #expect(owner == self.sessionId, "ephemeral after \(attack)")
            _ = try await self.client.setData(self.path, data: Array("kept".utf8))
        }
    }

    static func withServer(_ body: (ZooStackServerProcess, Bystander) async throws -> Void) async throws {
        let server = try await ZooStackServerProcess.start()
        defer { server.stop() }
        let bystander = try await Bystander.make(server)
        try await body(server, bystander)
        #expect(server.isRunning, "the server died:\n\(server.log)")
        #expect((try? await RawZooKeeperClient.fourLetterWord("ruok", port: server.port)) == "imok")
        await bystander.client.close()
    }

    @Test func oversizedFrameClosesTheConnection() async throws {
        try await Self.withServer { server, bystander in
            // Before the handshake: a length over jute.maxbuffer (0xfffff + 1 KiB slack is Apache's limit).
            let early = try await RawZooKeeperClient.open(port: server.port)
            try? await early.sendBytes(Self.int(64 * 1024 * 1024) + [UInt8](repeating: 7, count: 1024))
            #expect(
                await early.isClosedByServer(within: .seconds(5)),
                "an oversized ConnectRequest frame was not closed"
            )
            // After a session: a 2 MiB setData frame.
            let (late, _) = try await RawZooKeeperClient.connect(port: server.port)
            try? await late.sendFrame { body in
                body.writeJuteInt(1)
                body.writeJuteInt(5)
                body.writeJuteString(bystander.path)
                body.writeJuteBuffer([UInt8](repeating: 1, count: 2 << 20))
                body.writeJuteInt(-1)
            }
            #expect(await late.isClosedByServer(within: .seconds(5)), "an oversized request frame was not closed")
            try await bystander.expectUnaffected(after: "an oversized frame")
        }
    }

    @Test func garbageBytesCloseTheConnection() async throws {
        try await Self.withServer { server, bystander in
            // An HTTP request where a ConnectRequest belongs ("GET " read as a length is over the limit).
            let http = try await RawZooKeeperClient.open(port: server.port)
            try? await http.sendBytes(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
            #expect(await http.isClosedByServer(within: .seconds(5)), "an HTTP request was not closed")
            // A short, malformed ConnectRequest.
            let short = try await RawZooKeeperClient.open(port: server.port)
            try? await short.sendFrame { $0.writeBytes([0, 0, 0, 0, 1, 2, 3]) }
            #expect(await short.isClosedByServer(within: .seconds(5)), "a malformed ConnectRequest was not closed")
            // After a session: a create whose path length runs past the end of its frame, then random bytes.
            let (malformed, _) = try await RawZooKeeperClient.connect(port: server.port)
            try? await malformed.sendFrame {
                $0.writeBytes(Self.int(1) + Self.int(1) + Self.int(1000) + Array("/x".utf8))
            }
            #expect(await malformed.isClosedByServer(within: .seconds(5)), "a malformed create was not closed")
            var generator = SystemRandomNumberGenerator()
            for _ in 0..<20 {
                let random = try await RawZooKeeperClient.open(port: server.port)
                let bytes = (0..<Int.random(in: 1...600)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                try? await random.sendBytes(bytes)
                _ = await random.isClosedByServer(within: .milliseconds(300))
                await random.close()
            }
            try await bystander.expectUnaffected(after: "garbage bytes")
        }
    }

    @Test func unknownOpcodeGetsUnimplemented() async throws {
        try await Self.withServer { server, bystander in
            var (connection, _) = try await RawZooKeeperClient.connect(port: server.port)
            try await connection.sendFrame { body in
                body.writeJuteInt(42)
                body.writeJuteInt(9999)
                body.writeJuteString(bystander.path)
            }
            let (reply, _) = try await connection.nextReply()
            #expect(reply.xid == 42, "reply xid")
            #expect(reply.err == .unimplemented, "reply error code")
            await connection.close()
            try await bystander.expectUnaffected(after: "an unknown opcode")
        }
    }

    @Test func silentConnectionIsClosedAfterTheHandshakeTimeout() async throws {
        try await Self.withServer { server, bystander in
            let started = ContinuousClock.now
            let silent = try await RawZooKeeperClient.open(port: server.port)
            #expect(await silent.isClosedByServer(within: .seconds(15)), "a silent connection was never closed")
            let waited = ContinuousClock.now - started
            #expect(waited >= .seconds(5), "closed after only \(waited)")
            try await bystander.expectUnaffected(after: "a silent connection")
        }
    }

    /// A big-endian jute int.
    static func int(_ value: Int32) -> [UInt8] { withUnsafeBytes(of: value.bigEndian) { Array($0) } }
}
