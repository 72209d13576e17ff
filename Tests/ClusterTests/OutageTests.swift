import CloudAPI
import CloudCore
import Cluster
import Coordination
import Foundation
import Testing
import ZooKeeperServer
import ZooKeeperTestSupport

/// A management server without ZooKeeper refuses what needs coordination and still serves reads.
@Suite(.serialized)
struct OutageTests {
    @Test func refusesCoordinatedCommandsWhileZooKeeperIsDownAndRecovers() async throws {
        let dataDir = TemporaryPaths.make("zoostack-outage")
        let zookeeper = try await ClusterHarness.startZooKeeper(dataDir: dataDir)
        let port = zookeeper.port
        let harness = try await ClusterHarness(connectString: "127.0.0.1:\(port)")
        let a = try await harness.start("ms-a")
        defer { Task { await harness.close() } }
        let zone = try #require(try await harness.list(a, "listZones", "zone").first?["id"]?.stringValue)
        #expect(await a.core.readiness().isReady)
        // /metrics' coordination gauges: a connected session, the leadership of a lone server and its epoch.
        try await eventually("ms-a leads") { try await a.core.metrics.sample().cluster?.isLeader == true }
        let leading = try #require(try await a.core.metrics.sample().cluster)
        #expect(leading.sessionState == "connected")
        #expect((leading.epoch ?? 0) > 0)

        await zookeeper.shutdown()
        try await eventually("ms-a notices") { a.coordinator?.state != .connected }
        let cut = try #require(try await a.core.metrics.sample().cluster)
        #expect(cut.sessionState != "connected")
        #expect(!cut.isLeader)
        // /readyz's answer: the database is fine, the ZooKeeper session is not.
        let down = await a.core.readiness()
        #expect(!down.isReady)
        #expect(down.checks.map(\.name) == ["database", "zookeeper"])
        #expect(down.checks[0].ok)
        #expect(!down.checks[1].ok)
        #expect(down.checks[1].detail.contains("ZooKeeper"), "\(down.checks[1].detail)")
        let (status, body) = try await harness.call(
            a,
            "deployVirtualMachine",
            ["zoneid": zone, "templateid": zone, "serviceofferingid": zone]
        )
        #expect(status == 530)
        #expect(body["errortext"]?.stringValue?.contains("ZooKeeper") == true, "\(body.json)")
        let (updateStatus, updateBody) = try await harness.call(
            a,
            "updateConfiguration",
            ["name": "expunge.delay", "value": "7"]
        )
        #expect(updateStatus == 530)
        #expect(updateBody["errortext"]?.stringValue?.contains("ZooKeeper") == true)
        // Reads are still served.
        #expect(try await harness.list(a, "listZones", "zone").count == 1)
        #expect(try await harness.list(a, "listManagementServers", "managementserver").count == 1)

        let restarted = try await ClusterHarness.startZooKeeper(port: port, dataDir: dataDir)
        defer { Task { await restarted.shutdown() } }
        try await eventually("ms-a coordinates again") { a.coordinator?.state == .connected }
        #expect(await a.core.readiness().isReady)
        let (again, againBody) = try await harness.call(
            a,
            "updateConfiguration",
            ["name": "expunge.delay", "value": "7"]
        )
        #expect(again == 200, "\(againBody.json)")
    }
}
