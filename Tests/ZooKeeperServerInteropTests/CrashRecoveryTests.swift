import Foundation
import Synchronization
import Testing
import ZooKeeperClient
import ZooKeeperProtocol

/// `zoostack zookeeper` killed with SIGKILL under a pipelined write load, then restarted on the same data dir and
/// port: acknowledged writes survive whole, unacknowledged ones are all-or-nothing, sessions resume or expire as
/// their timeouts say.
@Suite struct CrashRecoveryTests {
    /// What the load saw: every create sent, and those the server acknowledged.
    final class Ledger: Sendable {
        struct State {
            var attempted: [String: [UInt8]] = [:]
            var acknowledged: Set<String> = []
        }
        let state = Mutex(State())
        var acknowledgedCount: Int { self.state.withLock { $0.acknowledged.count } }
    }

    static let loadClients = 4
    static let window = 32

    static func data(client: Int, index: Int) -> [UInt8] {
        Array("c\(client)-\(index)|".utf8) + (0..<(16 + index * 7 % 300)).map { UInt8(truncatingIfNeeded: $0 &+ index) }
    }

    /// One client creating `/crash/c<client>-<i>` with `window` requests in flight, until a create fails.
    static func load(_ zk: ZooKeeperClient, client: Int, ledger: Ledger) async {
        await withTaskGroup(of: Bool.self) { group in
            var next = 0
            var failed = false
            func submit() {
                let index = next
                next += 1
                let path = "/crash/c\(client)-\(index)"
                let data = self.data(client: client, index: index)
                ledger.state.withLock { $0.attempted[path] = data }
                group.addTask {
                    do {
                        try await zk.create(path, data: data)
                        ledger.state.withLock { _ = $0.acknowledged.insert(path) }
                        return true
                    } catch {
                        return false
                    }
                }
            }
            for _ in 0..<self.window { submit() }
            while let succeeded = await group.next() {
                if !succeeded { failed = true }
                if !failed { submit() }
            }
        }
    }

    @Test func acknowledgedWritesSurviveSIGKILLAndSessionsFollowTheirTimeouts() async throws {
        let arguments = ["--4lw-whitelist", "*", "--tick-time", "500"]
        let server = try await ZooStackServerProcess.start(extraArguments: arguments)
        var running = server
        defer { running.stop() }

        let setup = try await ZooKeeperClient.connect(connectString: server.connectString)
        try await setup.create("/crash")
        try await setup.create("/sessions")
        await setup.close()
        let long = try await ZooKeeperClient.connect(connectString: server.connectString, sessionTimeout: .seconds(10))
        let short = try await ZooKeeperClient.connect(connectString: server.connectString, sessionTimeout: .seconds(2))
        try await long.create("/sessions/long", data: Array("long".utf8), mode: .ephemeral)
        try await short.create("/sessions/short", data: Array("short".utf8), mode: .ephemeral)
        let longSession = try await long.session
        let shortSession = try await short.session
        #expect(longSession.negotiatedTimeout == .seconds(10))
        #expect(shortSession.negotiatedTimeout == .seconds(2))

        // Load, then SIGKILL once enough writes are acknowledged, with creates still in flight.
        let ledger = Ledger()
        var connected: [ZooKeeperClient] = []
        for _ in 0..<Self.loadClients {
            connected.append(try await ZooKeeperClient.connect(connectString: server.connectString))
        }
        let clients = connected
        let loads = Task {
            await withTaskGroup(of: Void.self) { group in
                for (index, client) in clients.enumerated() {
                    group.addTask { await Self.load(client, client: index, ledger: ledger) }
                }
            }
        }
        let deadline = ContinuousClock.now + .seconds(15)
        while ledger.acknowledgedCount < 1000 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        server.kill()
        for client in clients + [long, short] { await client.disconnectKeepingSession() }
        await loads.value
        let (attempted, acknowledged) = ledger.state.withLock { ($0.attempted, $0.acknowledged) }
        #expect(acknowledged.count >= 1000, "the load did not get going: \(acknowledged.count) acknowledged")
        #expect(attempted.count > acknowledged.count, "no write was in flight at the kill")

        running = try await server.restart()
        let resumed = try await ZooKeeperClient.connect(
            configuration: ZooKeeperClientConfiguration(
                connectString: server.connectString,
                sessionTimeout: .seconds(10)
            ),
            session: longSession
        )
        let checker = try await ZooKeeperClient.connect(connectString: server.connectString)

        // Every acknowledged create is there with its data; the rest are there whole or not at all.
        let present = Set(try await checker.getChildren("/crash").map { "/crash/\($0)" })
        let missing = acknowledged.subtracting(present)
        #expect(missing.isEmpty, "\(missing.count) acknowledged creates lost, e.g. \(missing.sorted().prefix(5))")
        #expect(
            present.isSubset(of: Set(attempted.keys)),
            "nodes nobody created: \(present.subtracting(attempted.keys))"
        )
        let wrong = try await withThrowingTaskGroup(of: String?.self) { group in
            for path in present {
                group.addTask {
                    let (data, stat) = try await checker.getData(path)
                    return data == attempted[path] && Int(stat.dataLength) == data.count ? nil : path
                }
            }
            return try await group.reduce(into: [String]()) { if let path = $1 { $0.append(path) } }
        }
        #expect(wrong.isEmpty, "nodes with wrong or partial data: \(wrong.prefix(5))")

        // The long session resumed with its ephemeral; the short one expires, its ephemeral deleted.
        #expect(try await resumed.session.sessionId == longSession.sessionId)
        let expiry = ContinuousClock.now + .seconds(10)
        while try await checker.exists("/sessions/short") != nil && ContinuousClock.now < expiry {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(try await checker.exists("/sessions/short") == nil, "the 2 s session did not expire")
        let expired = await #expect(throws: KeeperError.self) {
            let client = try await ZooKeeperClient.connect(
                configuration: ZooKeeperClientConfiguration(
                    connectString: server.connectString,
                    sessionTimeout: .seconds(2)
                ),
                session: shortSession
            )
            await client.close()
        }
        #expect(expired?.code == .sessionExpired)
        let longStat = try #require(try await checker.exists("/sessions/long"), "the 10 s session's ephemeral is gone")
        #expect(longStat.ephemeralOwner == longSession.sessionId)
        #expect(try await resumed.getData("/sessions/long").data == Array("long".utf8))
        await resumed.close()
        await checker.close()
        let after = try await ZooKeeperClient.connect(connectString: server.connectString)
        #expect(try await after.exists("/sessions/long") == nil, "closeSession left the ephemeral")
        await after.close()
    }
}
