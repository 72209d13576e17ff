import Coordination
import Foundation
import Testing
import ZooKeeperServer
import ZooKeeperTestSupport

@Suite("Coordination: ZooKeeper outages")
struct OutageTests {
    @Test(arguments: CoordinationTarget.all)
    func commandsAreRefusedWhileCutOffAndCoordinationRecoversByItself(target: ZooKeeperTarget) async throws {
        let cluster = try await TestCluster(target)
        let (proxy, a) = try await cluster.coordinatorBehindProxy("ms-a", timeout: .seconds(4))
        let b = try await cluster.coordinator("ms-b")
        defer {
            Task {
                await stopAll([a, b])
                await proxy.stop()
            }
        }
        try a.requireCoordination()
        try await eventually("members seen") { a.lastKnownMembers.map(\.id) == ["ms-a", "ms-b"] }
        let states = a.stateChanges()
        proxy.partition()
        let down = try await first(states) { $0 != .connected }
        #expect(down == .suspended)
        await expectCoordinationError(.unavailable) { try a.requireCoordination() }
        await expectCoordinationError(.unavailable) { try await a.publish(key: "k", value: "v") }
        // Reads keep answering from what was last seen.
        #expect(a.lastKnownMembers.map(\.id) == ["ms-a", "ms-b"])

        // A change made meanwhile, and the session's expiry (past 4 s), are caught up after the outage.
        try await b.publish(key: "during.outage", value: "yes")
        try await eventually("ms-a's session expired") { try await b.members().map(\.id) == ["ms-b"] }
        proxy.heal()
        _ = try await first(states) { $0 == .connected }
        try a.requireCoordination()
        try await eventually("change applied") { a.configurationValues["during.outage"] == "yes" }
        try await eventually("registered again") { try await b.members().map(\.id) == ["ms-a", "ms-b"] }
        try await a.publish(key: "after.outage", value: "ok")
        try await eventually("published") { b.configurationValues["after.outage"] == "ok" }
    }
}

@Suite("Coordination: embedded server restart")
struct EmbeddedRestartTests {
    @Test func coordinationRecoversWhenTheEmbeddedServerComesBackOnTheSameDataDirAndPort() async throws {
        let dataDir = FileManager.default.temporaryDirectory
            .appendingPathComponent("zoostack-coordination-restart-\(UInt64.random(in: 0..<UInt64.max))").path
        let settings = ZooKeeperTargetSettings(tickTime: .milliseconds(500))
        let original = try await settings.startEmbedded(dataDir: dataDir)
        let port = original.port
        let cluster = TestCluster(connectString: "127.0.0.1:\(port)")
        let a = try await cluster.coordinator("ms-a", timeout: .seconds(6))
        let b = try await cluster.coordinator("ms-b", timeout: .seconds(6))
        defer { Task { await stopAll([a, b]) } }
        try await a.publish(key: "before", value: "1")
        try await eventually("one leader") { [a, b].filter { $0.leadership.isLeader }.count == 1 }

        let states = a.stateChanges()
        await original.shutdown()
        _ = try await first(states) { $0 != .connected }
        await expectCoordinationError(.unavailable) { try a.requireCoordination() }
        try await eventually("nobody leads while ZooKeeper is away") { [a, b].allSatisfy { !$0.leadership.isLeader } }

        let second = try await settings.startEmbedded(port: port, dataDir: dataDir)
        try await eventually("reconnected") { a.state == .connected && b.state == .connected }
        try a.requireCoordination()
        try await eventually("both registered") { try await a.members().map(\.id) == ["ms-a", "ms-b"] }
        try await eventually("one leader again") { [a, b].filter { $0.leadership.isLeader }.count == 1 }
        try await b.publish(key: "after", value: "2")
        try await eventually("applied") { a.configurationValues == ["before": "1", "after": "2"] }
        await stopAll([a, b])
        await second.shutdown()
        try? FileManager.default.removeItem(atPath: dataDir)
    }
}
