import CloudAPI
import CloudCore
import CloudModel
import CloudStore
import Coordination
import Orchestrator
import Testing
import ZooKeeperClient

@testable import Cluster

/// Host HA at scale: the leader's host liveness drains a bounded queue in batches, so thousands of hosts lost
/// together (an agent process carrying them died) all go Disconnected, then Down, without exhausting the database
/// pool.
@Suite(.serialized)
struct HostLivenessTests {
    @Test func aHostThatComesBackIsNotDeclaredDownAndTheLatestEventWins() {
        var queue = HostLivenessQueue()
        let now = ContinuousClock.now
        queue.disappeared("a")
        queue.disappeared("b")
        queue.appeared("b")
        #expect(queue.lost == ["a"] && queue.back == ["b"])
        #expect(queue.takeBack(10) == ["b"])
        #expect(queue.takeLost(10) == ["a"])
        // "a" comes back while its Disconnected batch is written: it is not put to wait for Down.
        queue.appeared("a")
        queue.wait(["a"], until: now)
        #expect(queue.waiting.isEmpty && queue.back == ["a"])
        #expect(queue.takeBack(10) == ["a"])
        queue.disappeared("a")
        #expect(queue.takeLost(10) == ["a"])
        queue.wait(["a"], until: now + .seconds(5))
        #expect(!queue.hasWork(at: now))
        #expect(queue.takeDue(at: now, 10).isEmpty)
        #expect(queue.hasWork(at: now + .seconds(5)))
        #expect(queue.takeDue(at: now + .seconds(5), 10) == ["a"])
        #expect(!queue.hasWork(at: now + .seconds(60)))
        // A failed Disconnected batch is retried unless the host came back meanwhile.
        queue.appeared("c")
        queue.retryLost(["c", "d"])
        #expect(queue.lost == ["d"] && queue.back == ["c"])
        // A failed reconnection is retried unless the host vanished again meanwhile.
        _ = queue.takeBack(10)
        queue.retryBack(["c", "d"])
        #expect(queue.back == ["c"] && queue.lost == ["d"])
    }

    @Test func batchesTakeAtMostTheirSize() {
        var queue = HostLivenessQueue()
        for index in 0..<1_250 { queue.disappeared("h\(index)") }
        #expect(queue.takeLost(500).count == 500)
        #expect(queue.takeLost(500).count == 500)
        #expect(queue.takeLost(500).count == 250)
        #expect(queue.lost.isEmpty)
    }

    @Test(.timeLimit(.minutes(5)))
    func twoThousandHostsOfOneDeadAgentProcessGoDisconnectedThenDown() async throws {
        let count = 2_000
        let harness = try await ClusterHarness()
        let a = try await harness.start("ms-a", simulatedHosts: count)
        defer { Task { await harness.close() } }
        // Down 5 s after Disconnected: long enough to see every host Disconnected first.
        for (name, value) in [("ping.interval", "5"), ("ping.timeout", "1")] {
            let (status, body) = try await harness.call(a, "updateConfiguration", ["name": name, "value": value])
            #expect(status == 200, "\(body.json)")
        }
        try await eventually("settings applied") { a.core.configuration.cached.int("ping.interval") == 5 }
        let hosts = try await a.store.list(Host.self).items
        #expect(hosts.count == count)
        #expect(hosts.allSatisfy { $0.state == "Up" })
        let registrations = try await HostRegistration.connect(
            connectString: harness.connectString,
            rootPath: harness.root,
            sessionTimeout: .seconds(4),
            credentials: nil,
            hosts: hosts.map {
                HostInfo(id: $0.id, address: "127.0.0.1:1", cpuCores: 4, cpuSpeedMHz: 2000, memoryBytes: 1 << 33)
            }
        )
        try await eventually("the leader sees every host") {
            a.coordinator?.hostDirectory.lastKnownHosts.count == count
        }

        // The process dies: its session ends and every host's node vanishes at once.
        await registrations.first?.client.close()
        try await eventually(timeout: .seconds(120), "every host Disconnected") {
            try await self.count(a.store, "Disconnected") == count
        }
        try await eventually(timeout: .seconds(120), "every host Down") {
            try await self.count(a.store, "Down") == count
        }
        let events = try await a.store.list(CloudModel.Event.self, ListQuery(equals: [("type", "HOST.DOWN")])).items
        #expect(events.count == count)
    }

    func count(_ store: CloudStore, _ state: String) async throws -> Int {
        try await store.list(Host.self, ListQuery(equals: [("state", state)])).items.count
    }
}
