import NIOCore
import Testing
import ZooKeeperProtocol
import ZooKeeperTestSupport

@testable import ZooKeeperServer

struct DataDirectoryTests {
    private func files(_ dir: String, _ prefix: String) throws -> [String] {
        try PosixFile.list(dir).filter { $0.hasPrefix(prefix) && !$0.hasSuffix(".tmp") }.sorted()
    }

    @Test func dataAndSessionsSurviveARestart() async throws {
        let dir = temporaryDirectory()
        let config = ZooKeeperServerConfiguration(port: 0, dataDir: dir)
        let clock = ManualClock()
        let session = try await withServer(config, clock: clock) { _, port in
            var (client, session) = try await RawZooKeeperClient.connect(port: port, timeout: 6000)
            _ = try await client.call(.create, createRequest("/a", [1, 2, 3]), as: CreateResponse.self)
            _ = try await client.call(.create, createRequest("/e", [], .ephemeral), as: CreateResponse.self)
            _ = try await client.call(
                .setData,
                SetDataRequest(path: "/a", data: [4], version: 0),
                as: StatResponse.self
            )
            await client.close()
            return session
        }
        #expect(try !self.files(dir, "snapshot.").isEmpty)
        try await withServer(config, clock: clock) { server, port in
            var (client, resumed) = try await RawZooKeeperClient.connect(
                port: port,
                sessionId: session.sessionId,
                password: session.passwd,
                lastZxidSeen: 4
            )
            #expect(resumed.sessionId == session.sessionId && resumed.timeOut == 10000)
            let (_, data) = try await client.call(
                .getData,
                GetDataRequest(path: "/a", watch: false),
                as: GetDataResponse.self
            )
            #expect(data?.data == [4] && data?.stat.version == 1)
            let (_, eph) = try await client.call(
                .getEphemerals,
                GetEphemeralsRequest(path: "/"),
                as: GetEphemeralsResponse.self
            )
            #expect(eph?.strings == ["/e"])
            await client.close()
            // Unattended, the session expires after its timeout and its ephemeral goes.
            clock.advance(by: 20000)
            await server.tick()
            var (observer, _) = try await RawZooKeeperClient.connect(port: port)
            let (gone, _) = try await observer.call(
                .exists,
                ExistsRequest(path: "/e", watch: false),
                as: StatResponse.self
            )
            #expect(gone.err == .noNode)
            await observer.close()
        }
    }

    @Test func logReplayWithoutSnapshotAndCorruptTail() async throws {
        let dir = temporaryDirectory()
        let config = ZooKeeperServerConfiguration(port: 0, dataDir: dir)
        try await withServer(config) { _, port in
            var (client, _) = try await RawZooKeeperClient.connect(port: port)
            _ = try await client.call(.create, createRequest("/first", [1]), as: CreateResponse.self)
            _ = try await client.call(.create, createRequest("/second", [2]), as: CreateResponse.self)
            _ = try await client.call(.create, createRequest("/third", [3]), as: CreateResponse.self)
            await client.close()
        }
        for snapshot in try self.files(dir, "snapshot.") { PosixFile.remove(dir + "/" + snapshot) }
        // Damage the last entry: flip a byte of its payload.
        let logs = try self.files(dir, "log.")
        let logPath = dir + "/" + (try #require(logs.last))
        var bytes = try PosixFile.read(logPath)
        bytes[bytes.count - 6] ^= 0xFF
        try PosixFile.writeAtomically(bytes, to: logPath, directory: dir)
        try await withServer(config) { _, port in
            var (client, _) = try await RawZooKeeperClient.connect(port: port)
            let (_, first) = try await client.call(
                .getData,
                GetDataRequest(path: "/first", watch: false),
                as: GetDataResponse.self
            )
            let (_, second) = try await client.call(
                .getData,
                GetDataRequest(path: "/second", watch: false),
                as: GetDataResponse.self
            )
            let (third, _) = try await client.call(
                .exists,
                ExistsRequest(path: "/third", watch: false),
                as: StatResponse.self
            )
            #expect(first?.data == [1] && second?.data == [2])
            #expect(third.err == .noNode)
            _ = try await client.call(.create, createRequest("/fourth"), as: CreateResponse.self)
            await client.close()
        }
        #expect(try PosixFile.read(logPath).count < bytes.count)
        try await withServer(config) { _, port in
            var (client, _) = try await RawZooKeeperClient.connect(port: port)
            let (fourth, _) = try await client.call(
                .exists,
                ExistsRequest(path: "/fourth", watch: false),
                as: StatResponse.self
            )
            #expect(fourth.err == .ok)
            await client.close()
        }
    }

    /// A log left open by a crash ends in preallocated zeros: recovery keeps every entry, cuts the zeros off
    /// without treating the log as corrupt, and later logs are still replayed.
    @Test func preallocatedZeroTailIsACleanEnd() async throws {
        let dir = temporaryDirectory()
        let config = ZooKeeperServerConfiguration(port: 0, dataDir: dir)
        for path in ["/first", "/second"] {
            try await withServer(config) { _, port in
                var (client, _) = try await RawZooKeeperClient.connect(port: port)
                _ = try await client.call(.create, createRequest(path, [1]), as: CreateResponse.self)
                await client.close()
            }
        }
        for snapshot in try self.files(dir, "snapshot.") { PosixFile.remove(dir + "/" + snapshot) }
        let logs = try self.files(dir, "log.")
        #expect(logs.count >= 2)
        // The older log ends in zeros, as one the server had not closed would.
        let firstLog = dir + "/" + (try #require(logs.first))
        let clean = try PosixFile.read(firstLog)
        try PosixFile.writeAtomically(clean + [UInt8](repeating: 0, count: 4096), to: firstLog, directory: dir)
        try await withServer(config) { _, port in
            var (client, _) = try await RawZooKeeperClient.connect(port: port)
            for path in ["/first", "/second"] {
                let (reply, _) = try await client.call(
                    .exists,
                    ExistsRequest(path: path, watch: false),
                    as: StatResponse.self
                )
                #expect(reply.err == .ok, "\(path)")
            }
            await client.close()
        }
        #expect(try PosixFile.read(firstLog) == clean)
        #expect(try self.files(dir, "log.").count >= logs.count)
    }

    @Test func snapshotsRollAndOldFilesArePurged() async throws {
        let dir = temporaryDirectory()
        let config = ZooKeeperServerConfiguration(port: 0, dataDir: dir, snapCount: 5)
        try await withServer(config) { _, port in
            var (client, _) = try await RawZooKeeperClient.connect(port: port)
            for i in 0..<40 {
                _ = try await client.call(.create, createRequest("/n\(i)", [UInt8(i)]), as: CreateResponse.self)
            }
            await client.close()
        }
        #expect(try self.files(dir, "snapshot.").count == 3)
        #expect(try self.files(dir, "log.").count <= 4)
        try await withServer(config) { _, port in
            var (client, _) = try await RawZooKeeperClient.connect(port: port)
            let (_, count) = try await client.call(
                .getAllChildrenNumber,
                GetAllChildrenNumberRequest(path: "/"),
                as: IntResponse.self
            )
            #expect(count?.value == 43)  // 40 nodes, plus /zookeeper and its two children
            await client.close()
        }
    }

    @Test func txnCodecRoundTrips() throws {
        let txns: [Txn] = [
            .create(path: "/a", data: nil, acl: openACL, ephemeralOwner: 5, parentCVersion: 3),
            .delete(path: "/a"),
            .setData(path: "/a", data: [1], version: 2),
            .setACL(path: "/a", acl: ACL.readUnsafe, version: 1),
            .check(path: "/a", version: 0),
            .createSession(sessionId: 9, timeout: 4000, password: [1, 2]),
            .closeSession(sessionId: 9),
            .multi([.delete(path: "/x"), .error(.badVersion)]),
            .error(.noNode),
        ]
        var buffer = ByteBuffer()
        buffer.writeBytes(TxnLogFormat.fileHeader())
        for (i, txn) in txns.enumerated() {
            let header = TxnHeader(sessionId: 1, cxid: Int32(i), zxid: Int64(i + 1), time: 99)
            TxnLogFormat.appendEntry(LoggedTxn(header: header, txn: txn), to: &buffer)
        }
        let bytes = Array(buffer.readableBytesView)
        let (entries, valid, headerValid) = TxnLogFormat.readEntries(bytes)
        #expect(headerValid && valid == bytes.count)
        #expect(entries.map(\.txn) == txns)
        let (torn, tornValid, _) = TxnLogFormat.readEntries(Array(bytes.dropLast(3)))
        #expect(torn.count == txns.count - 1 && tornValid < bytes.count)
    }
}
