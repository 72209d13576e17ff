import CloudAPI
import CloudCore
import CloudModel
import CloudStore
import Cluster
import Coordination
import Orchestrator
import Testing

/// Management servers on one PostgreSQL and one ZooKeeper: bootstrap, membership, live configuration, leadership.
@Suite(.serialized)
struct MembershipAndConfigurationTests {
    @Test func threeServersStartTogetherAndOneSeeds() async throws {
        let harness = try await ClusterHarness()
        async let a = harness.start("ms-a")
        async let b = harness.start("ms-b")
        async let c = harness.start("ms-c")
        let runtimes = try await [a, b, c]
        defer { Task { await harness.close() } }
        #expect(runtimes.filter { $0.credentials != nil }.count == 1)
        #expect(try await runtimes[0].store.count(Zone.self) == 1)
        #expect(try await runtimes[0].store.count(Host.self) == 2)
        for runtime in runtimes {
            try await eventually("\(runtime.configuration.serverId) sees 3 servers Up") {
                let servers = try await harness.list(runtime, "listManagementServers", "managementserver")
                return servers.compactMap { $0["id"]?.stringValue } == ["ms-a", "ms-b", "ms-c"]
                    && servers.allSatisfy { $0["state"]?.stringValue == "Up" }
            }
        }
        let one = try await harness.list(runtimes[1], "listManagementServers", "managementserver", ["id": "ms-a"])
        #expect(one.count == 1)
        #expect(one.first?["version"]?.stringValue == ManagementServer.version)
        #expect(one.first?["serviceip"]?.stringValue == "127.0.0.1")
        #expect(one.first?["lastserverstart"]?.stringValue != nil)

        await runtimes[2].stop()
        try await eventually("ms-c shown Down on ms-a") {
            let servers = try await harness.list(runtimes[0], "listManagementServers", "managementserver")
            return servers.first { $0["id"]?.stringValue == "ms-c" }?["state"]?.stringValue == "Down"
                && servers.filter { $0["state"]?.stringValue == "Up" }.count == 2
        }
    }

    @Test func configurationChangedOnOneServerAppliesOnTheOther() async throws {
        let harness = try await ClusterHarness()
        let a = try await harness.start("ms-a")
        let b = try await harness.start("ms-b")
        defer { Task { await harness.close() } }
        @Sendable func value(_ runtime: ClusterRuntime, _ name: String) async throws -> String? {
            try await harness.list(runtime, "listConfigurations", "configuration", ["name": name])
                .first { $0["name"]?.stringValue == name }?["value"]?.stringValue
        }
        let (status, body) = try await harness.call(
            a,
            "updateConfiguration",
            ["name": "vm.allocation.algorithm", "value": "firstfitleastconsumed"]
        )
        #expect(status == 200, "\(body.json)")
        try await eventually("the new algorithm listed on ms-b") {
            try await value(b, "vm.allocation.algorithm") == "firstfitleastconsumed"
        }
        // The planner's settings on ms-b changed too, not only the listing.
        #expect(b.core.configuration.cached.placement.allocationAlgorithm == .firstfitleastconsumed)

        let (resetStatus, _) = try await harness.call(b, "resetConfiguration", ["name": "vm.allocation.algorithm"])
        #expect(resetStatus == 200)
        try await eventually("the default algorithm back on ms-a") {
            try await value(a, "vm.allocation.algorithm") == "random"
        }

        // A catalogue setting (CloudStack's, stored and listed but not read by ZooStack) travels the same way.
        let ssl = "consoleproxy.sslEnabled"
        let (sslStatus, sslBody) = try await harness.call(b, "updateConfiguration", ["name": ssl, "value": "true"])
        #expect(sslStatus == 200, "\(sslBody.json)")
        try await eventually("the catalogue setting listed on ms-a") { try await value(a, ssl) == "true" }
        #expect(a.core.configuration.cached.value(ssl) == "true")
        let (sslReset, _) = try await harness.call(a, "resetConfiguration", ["name": ssl])
        #expect(sslReset == 200)
        try await eventually("the catalogue default back on ms-b") { try await value(b, ssl) == "false" }
    }

    @Test func anotherServerLeadsWhenTheLeaderStops() async throws {
        let harness = try await ClusterHarness()
        let a = try await harness.start("ms-a")
        let b = try await harness.start("ms-b")
        defer { Task { await harness.close() } }
        try await eventually("one leader") {
            [a, b].filter { $0.coordinator?.leadership.isLeader == true }.count == 1
        }
        let leader = try #require([a, b].first { $0.coordinator?.leadership.isLeader == true })
        let follower = leader === a ? b : a
        let epoch = try #require(leader.coordinator?.leadership.epoch)
        await leader.stop()
        try await eventually("the other server leads") {
            follower.coordinator?.leadership.isLeader == true
        }
        #expect(try #require(follower.coordinator?.leadership.epoch) > epoch)
    }
}
