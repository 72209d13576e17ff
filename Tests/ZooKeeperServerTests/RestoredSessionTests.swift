import Testing
import ZooKeeperProtocol
import ZooKeeperTestSupport

@testable import ZooKeeperServer

/// Sessions a crashed process left in the data directory (issue 11): after a restart they live one full timeout
/// from the recovery (`SessionTrackerImpl` re-adds them at load), then expire with their ephemeral nodes unless
/// their client comes back.
struct RestoredSessionTests {
    /// A data directory as a SIGKILL leaves it: a session with an ephemeral node, copied while the server runs
    /// (every acknowledged write is on disk by then), so no final snapshot and no closeSession.
    private func crashedDirectory(timeout: Int32) async throws -> (dir: String, session: ConnectResponse) {
        let live = temporaryDirectory()
        let crashed = temporaryDirectory()
        let session = try await withServer(ZooKeeperServerConfiguration(port: 0, dataDir: live)) { _, port in
            var (client, session) = try await RawZooKeeperClient.connect(port: port, timeout: timeout)
            _ = try await client.call(.create, createRequest("/persistent"), as: CreateResponse.self)
            _ = try await client.call(.create, createRequest("/member", [1], .ephemeral), as: CreateResponse.self)
            try PosixFile.makeDirectories(crashed)
            for name in try PosixFile.list(live) where name != ".lock" {
                try PosixFile.writeAtomically(
                    try PosixFile.read(live + "/" + name),
                    to: crashed + "/" + name,
                    directory: crashed
                )
            }
            await client.close()
            return session
        }
        return (crashed, session)
    }

    private func exists(_ path: String, port: Int) async throws -> Bool {
        var (observer, _) = try await RawZooKeeperClient.connect(port: port)
        let (reply, _) = try await observer.call(
            .exists,
            ExistsRequest(path: path, watch: false),
            as: StatResponse.self
        )
        await observer.close()
        return reply.err == .ok
    }

    private func absent(_ path: String, port: Int) async throws -> Bool {
        try await !self.exists(path, port: port)
    }

    @Test func aRestoredSessionWithNoClientExpiresWithItsEphemerals() async throws {
        let (dir, session) = try await self.crashedDirectory(timeout: 6000)
        #expect(session.timeOut == 6000)
        let clock = ManualClock()
        let config = ZooKeeperServerConfiguration(port: 0, dataDir: dir, tickTime: 2000)
        try await withServer(config, clock: clock) { server, port in
            #expect(try await self.exists("/member", port: port))
            // Still within its timeout, counted from the restart.
            clock.advance(by: 5000)
            await server.tick()
            #expect(try await self.exists("/member", port: port))
            // The timeout and the tick it rounds up to are over: the session and its ephemeral node are gone.
            clock.advance(by: 3000)
            await server.tick()
            #expect(try await self.absent("/member", port: port))
            #expect(try await self.exists("/persistent", port: port))
            let (late, _) = try await RawZooKeeperClient.connect(
                port: port,
                sessionId: session.sessionId,
                password: session.passwd
            )
            #expect(await late.isClosedByServer())
        }
        // The expiry was logged like any write: a second restart does not bring the session back.
        let gone = try await withServer(config, clock: clock) { _, port in
            try await self.absent("/member", port: port)
        }
        #expect(gone)
    }

    @Test func aClientResumingWithinTheTimeoutKeepsItsRestoredSession() async throws {
        let (dir, session) = try await self.crashedDirectory(timeout: 6000)
        let clock = ManualClock()
        let config = ZooKeeperServerConfiguration(port: 0, dataDir: dir, tickTime: 2000)
        try await withServer(config, clock: clock) { server, port in
            clock.advance(by: 4000)
            var (client, resumed) = try await RawZooKeeperClient.connect(
                port: port,
                timeout: 6000,
                sessionId: session.sessionId,
                password: session.passwd
            )
            #expect(resumed.sessionId == session.sessionId)
            // Past the restored expiry, but the client touched the session meanwhile.
            clock.advance(by: 4000)
            await server.tick()
            #expect(try await self.exists("/member", port: port))
            let (ping, _) = try await client.call(
                .exists,
                ExistsRequest(path: "/member", watch: false),
                as: StatResponse.self
            )
            #expect(ping.err == .ok)
            await client.close()
        }
    }
}
