import Coordination
import Testing

@Suite("Coordination: ZooKeeper outages")
struct OutageTests {
    @Test(arguments: CoordinationTarget.all)
    func commandsAreRefusedWhileCutOffAndCoordinationRecoversByItself(target: CoordinationTarget) async throws {
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
        let states = a.stateChanges()
        proxy.partition()
        let down = try await first(states) { $0 != .connected }
        #expect(down == .suspended)
        await expectCoordinationError(.unavailable) { try a.requireCoordination() }
        await expectCoordinationError(.unavailable) { try await a.publish(key: "k", value: "v") }

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
