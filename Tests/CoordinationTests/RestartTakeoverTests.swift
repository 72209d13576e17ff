import Coordination
import Foundation
import Testing
import ZooKeeperClient
import ZooKeeperProtocol
import ZooKeeperRecipes
import ZooKeeperTestSupport

/// A management server or agent restarted after a crash, while its dead incarnation's session still holds its
/// ephemeral nodes (issue 11).
@Suite("Coordination: restart after a crash")
struct RestartTakeoverTests {
    private func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("zoostack-record-\(UUID())").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test(arguments: CoordinationTarget.all)
    func aRestartedServerClosesItsCrashedIncarnationsSession(target: ZooKeeperTarget) async throws {
        let cluster = try await TestCluster(target)
        let directory = try self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // The longest session the targets grant (tickTime 500 ms): waiting it out would take longer than that.
        var configuration = cluster.configuration("ms-a", timeout: .seconds(10))
        configuration.sessionRecordDirectory = directory
        let record = SessionRecord.coordinator(directory: directory)

        let crashed = try await Coordinator.start(configuration: configuration)
        let dead = try await crashed.client.session
        #expect(record.sessions.map(\.sessionId) == [dead.sessionId])
        #expect(try FileManager.default.attributesOfItem(atPath: record.path)[.posixPermissions] as? Int == 0o600)
        // A crash: the connection drops, the session and its nodes stay until they expire; the process's claim on
        // the record ends with it.
        await crashed.client.disconnectKeepingSession()
        await crashed.stop()
        let observer = try await cluster.client()
        let node = cluster.layout.managementServers + "/ms-a"
        #expect(try await observer.exists(node)?.ephemeralOwner == dead.sessionId)

        let started = ContinuousClock.now
        let restarted = try await Coordinator.start(configuration: configuration)
        let took = ContinuousClock.now - started
        let own = try await restarted.client.session
        #expect(try await observer.exists(node)?.ephemeralOwner == own.sessionId)
        #expect(try await restarted.members().map(\.id) == ["ms-a"])
        // Taken over by closing the dead session, not by waiting for it to expire.
        #expect(took < dead.negotiatedTimeout, "the restart took \(took)")
        // The record names the live session only.
        #expect(record.sessions.map(\.sessionId) == [own.sessionId])
        await restarted.stop()
        await observer.close()
    }

    @Test(arguments: CoordinationTarget.all)
    func aSessionTheRecordDoesNotNameIsWaitedOut(target: ZooKeeperTarget) async throws {
        let cluster = try await TestCluster(target)
        let directory = try self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // An incarnation that kept no record (an older version, or another data directory).
        let crashed = try await cluster.coordinator("ms-a", timeout: .seconds(1))
        let dead = try await crashed.client.session.sessionId
        await crashed.client.disconnectKeepingSession()
        await crashed.stop()
        var configuration = cluster.configuration("ms-a", timeout: .seconds(1))
        configuration.sessionRecordDirectory = directory
        let restarted = try await Coordinator.start(configuration: configuration)
        let owner = try await restarted.client.exists(cluster.layout.managementServers + "/ms-a")?.ephemeralOwner
        #expect(owner == (try await restarted.client.session.sessionId) && owner != dead)
        // A live twin is still refused: at once on the same data directory (which it cannot claim), after the
        // wait on another.
        await expectCoordinationError(.recordFailed) {
            let twin = try await Coordinator.start(configuration: configuration)
            await twin.stop()
        }
        configuration.sessionRecordDirectory = try self.temporaryDirectory()
        do {
            let twin = try await Coordinator.start(configuration: configuration)
            await twin.stop()
            Issue.record("a second live ms-a was accepted")
        } catch let error as RecipeError {
            #expect(error.code == .memberIdTaken)
        }
        await restarted.stop()
    }

    @Test(arguments: CoordinationTarget.all)
    func withoutARecordTheDeadIncarnationsIdStaysTaken(target: ZooKeeperTarget) async throws {
        let cluster = try await TestCluster(target)
        let crashed = try await cluster.coordinator("ms-a", timeout: .seconds(10))
        await crashed.client.disconnectKeepingSession()
        await crashed.stop()
        do {
            let twin = try await cluster.coordinator("ms-a")
            await twin.stop()
            Issue.record("ms-a was taken over without a record of its session")
        } catch let error as RecipeError {
            #expect(error.code == .memberIdTaken)
        }
    }

    @Test(arguments: CoordinationTarget.all)
    func aRestartedAgentWaitsOutItsDeadSession(target: ZooKeeperTarget) async throws {
        let cluster = try await TestCluster(target)
        let host = HostInfo(id: "host-1", address: "127.0.0.1:1", cpuCores: 1, cpuSpeedMHz: 1000, memoryBytes: 1 << 30)
        let crashed = try await HostRegistration.connect(
            connectString: cluster.connectString,
            rootPath: cluster.root,
            sessionTimeout: .seconds(1),
            credentials: nil,
            host: host
        )
        let dead = try await crashed.client.session.sessionId
        await crashed.client.disconnectKeepingSession()
        let restarted = try await HostRegistration.connect(
            connectString: cluster.connectString,
            rootPath: cluster.root,
            sessionTimeout: .seconds(1),
            credentials: nil,
            host: host
        )
        let owner = try await restarted.client.exists(cluster.layout.hostPath("host-1"))?.ephemeralOwner
        #expect(owner == (try await restarted.client.session.sessionId) && owner != dead)
        await restarted.deregister()
    }

    @Test func theRecordRoundTripsAndKeepsEarlierSessions() throws {
        let directory = try self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let record = SessionRecord.inProcessAgent(directory: directory)
        #expect(record.sessions.isEmpty)
        let first = SessionCredentials(sessionId: -2, password: [0, 1, 0xFF], negotiatedTimeout: .milliseconds(4000))
        let second = SessionCredentials(sessionId: 0x0123_4567_89AB, password: [], negotiatedTimeout: .seconds(10))
        try record.add(first)
        try record.add(second)
        #expect(SessionRecord(path: record.path).sessions == [first, second])
        try record.replace(with: second)
        #expect(record.sessions == [second])
        try "garbage\n\(Int64.max) zz 5\n".write(toFile: record.path, atomically: true, encoding: .utf8)
        #expect(record.sessions.isEmpty)
    }
}
