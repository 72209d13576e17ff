import Coordination
import Testing
import ZooKeeperClient
import ZooKeeperProtocol
import ZooKeeperRecipes
import ZooKeeperTestSupport

@Suite("Coordination: leadership with fencing")
struct LeadershipTests {
    /// A write a leader makes: one node under the root.
    static func write(_ cluster: TestCluster, _ name: String) -> [MultiOp] {
        [
            .create(
                CreateRequest(path: cluster.layout.path(name), data: [], acl: ACL.openUnsafe, flags: .persistent),
                .create
            )
        ]
    }

    @Test(arguments: CoordinationTarget.all)
    func aNewLeaderHasAHigherEpochAndTheOldTokenIsRefused(target: ZooKeeperTarget) async throws {
        let cluster = try await TestCluster(target)
        let coordinators = [
            try await cluster.coordinator("ms-a"),
            try await cluster.coordinator("ms-b"),
            try await cluster.coordinator("ms-c"),
        ]
        defer { Task { await stopAll(coordinators) } }
        try await eventually("one leader") { coordinators.filter { $0.leadership.isLeader }.count == 1 }
        let leader = try #require(coordinators.first { $0.leadership.isLeader })
        let oldToken = try #require(leader.leadership.token)
        #expect(try await leader.leaderId() == leader.configuration.serverId)
        try await leader.fencedMulti(Self.write(cluster, "first"))
        let follower = try #require(coordinators.first { !$0.leadership.isLeader })
        await expectCoordinationError(.notLeader) { try await follower.fencedMulti(Self.write(cluster, "x")) }

        // The leader's session ends; one of the others takes over with a higher epoch.
        await leader.stop()
        let survivors = coordinators.filter { $0 !== leader }
        try await eventually("a new leader") { survivors.filter { $0.leadership.isLeader }.count == 1 }
        let newLeader = try #require(survivors.first { $0.leadership.isLeader })
        let newToken = try #require(newLeader.leadership.token)
        #expect(newToken.epoch > oldToken.epoch)
        #expect(try await newLeader.currentEpoch() == newToken.epoch)

        // Work started under the old leadership cannot pass the epoch check, and writes nothing.
        await expectCoordinationError(.fenced) {
            try await newLeader.fencedMulti(Self.write(cluster, "stale"), token: oldToken)
        }
        try await newLeader.fencedMulti(Self.write(cluster, "second"))
        let observer = try await cluster.client()
        defer { Task { await observer.close() } }
        #expect(try await observer.exists(cluster.layout.path("stale")) == nil)
        #expect(try await observer.exists(cluster.layout.path("second")) != nil)
    }

    @Test(arguments: CoordinationTarget.all)
    func aPartitionedLeaderStepsDownAtOnceAndIsFencedAfterwards(target: ZooKeeperTarget) async throws {
        let cluster = try await TestCluster(target)
        let (proxy, a) = try await cluster.coordinatorBehindProxy("ms-a", timeout: .seconds(4))
        defer { Task { await proxy.stop() } }
        try await eventually("ms-a leads") { a.leadership.isLeader }
        let oldToken = try #require(a.leadership.token)
        let b = try await cluster.coordinator("ms-b")
        defer { Task { await stopAll([a, b]) } }
        let changes = a.leadershipChanges()
        _ = try await first(changes) { $0.isLeader }

        proxy.partition()
        // Not leader as soon as the connection drops, well before the session can expire.
        _ = try await first(changes) { !$0.isLeader }
        // The election and the coordinator follow the client's connection states in tasks of their own, so the
        // leadership may drop a moment before the coordinator's state leaves `connected`.
        try await eventually("ms-a's coordination state leaves connected") { a.state != .connected }
        await expectCoordinationError(.notLeader) { try await a.fencedMulti(Self.write(cluster, "x")) }

        // ms-a's session expires; ms-b is elected with a newer epoch.
        try await eventually("ms-b leads") { b.leadership.isLeader }
        let newToken = try #require(b.leadership.token)
        #expect(newToken.epoch > oldToken.epoch)

        // ms-a comes back with a new session, follows, and its old token is refused.
        proxy.heal()
        try await eventually("ms-a reconnected") { a.state == .connected }
        try await eventually("ms-a registered again") { try await b.members().map(\.id) == ["ms-a", "ms-b"] }
        #expect(!a.leadership.isLeader)
        await expectCoordinationError(.fenced) {
            try await a.fencedMulti(Self.write(cluster, "stale"), token: oldToken)
        }
        #expect(b.leadership.isLeader)
    }
}
