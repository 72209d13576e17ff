import Foundation
import Testing
import ZooKeeperClient
import ZooKeeperProtocol

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
        #expect(RawConnection.fourLetterWord("ruok", port: server.port) == "imok")
        await bystander.client.close()
    }

    @Test func oversizedFrameClosesTheConnection() async throws {
        try await Self.withServer { server, bystander in
            // Before the handshake: a length over jute.maxbuffer (0xfffff + 1 KiB slack is Apache's limit).
            let early = try RawConnection(port: server.port)
            early.write(Jute.int(64 * 1024 * 1024) + [UInt8](repeating: 7, count: 1024))
            #expect(early.waitForClose(limit: .seconds(5)), "an oversized ConnectRequest frame was not closed")
            // After a session: a 2 MiB setData frame.
            let late = try RawConnection(port: server.port)
            _ = try late.handshake()
            let body =
                Jute.int(1) + Jute.int(5) + Jute.string(bystander.path)
                + Jute.buffer([UInt8](repeating: 1, count: 2 << 20)) + Jute.int(-1)
            late.writeFrame(body)
            #expect(late.waitForClose(limit: .seconds(5)), "an oversized request frame was not closed")
            try await bystander.expectUnaffected(after: "an oversized frame")
        }
    }

    @Test func garbageBytesCloseTheConnection() async throws {
        try await Self.withServer { server, bystander in
            // An HTTP request where a ConnectRequest belongs ("GET " read as a length is over the limit).
            let http = try RawConnection(port: server.port)
            http.write(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
            #expect(http.waitForClose(limit: .seconds(5)), "an HTTP request was not closed")
            // A short, malformed ConnectRequest.
            let short = try RawConnection(port: server.port)
            short.writeFrame([0, 0, 0, 0, 1, 2, 3])
            #expect(short.waitForClose(limit: .seconds(5)), "a malformed ConnectRequest was not closed")
            // After a session: a create whose path length runs past the end of its frame, then random bytes.
            let malformed = try RawConnection(port: server.port)
            _ = try malformed.handshake()
            malformed.writeFrame(Jute.int(1) + Jute.int(1) + Jute.int(1000) + Array("/x".utf8))
            #expect(malformed.waitForClose(limit: .seconds(5)), "a malformed create was not closed")
            var generator = SystemRandomNumberGenerator()
            for _ in 0..<20 {
                let random = try RawConnection(port: server.port, timeout: .milliseconds(200))
                random.write((0..<Int.random(in: 1...600)).map { _ in UInt8.random(in: 0...255, using: &generator) })
                _ = random.waitForClose(limit: .milliseconds(300))
            }
            try await bystander.expectUnaffected(after: "garbage bytes")
        }
    }

    @Test func unknownOpcodeGetsUnimplemented() async throws {
        try await Self.withServer { server, bystander in
            let connection = try RawConnection(port: server.port)
            _ = try connection.handshake()
            connection.writeFrame(Jute.int(42) + Jute.int(9999) + Jute.string(bystander.path))
            guard case .bytes(let reply) = connection.readFrame() else {
                Issue.record("no reply to an unknown opcode")
                return
            }
            #expect(reply.count >= 16)
            #expect(Jute.readInt(reply, at: 0) == 42, "reply xid")
            #expect(Jute.readInt(reply, at: 12) == KeeperError.Code.unimplemented.rawValue, "reply error code")
            try await bystander.expectUnaffected(after: "an unknown opcode")
        }
    }

    @Test func silentConnectionIsClosedAfterTheHandshakeTimeout() async throws {
        try await Self.withServer { server, bystander in
            let started = ContinuousClock.now
            let silent = try RawConnection(port: server.port, timeout: .seconds(1))
            #expect(silent.waitForClose(limit: .seconds(15)), "a silent connection was never closed")
            let waited = ContinuousClock.now - started
            #expect(waited >= .seconds(5), "closed after only \(waited)")
            try await bystander.expectUnaffected(after: "a silent connection")
        }
    }
}
