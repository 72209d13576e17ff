import CloudAPI
import CloudCore
import ClusterHarness
import Foundation
import Testing

/// The coordination view on a real cluster of two management servers (processes, an embedded ZooKeeper,
/// PostgreSQL) and one simulated host: `listManagementServers` tells the leader and its epoch, each server's
/// ZooKeeper session state, hosts owned and the configuration version it has applied, the same from either server;
/// the view shows them, and a setting changed in the view is watched until both servers have applied it.
@Suite(.serialized) struct CoordinationBrowserTests {
    @Test(.timeLimit(.minutes(4)))
    func theCoordinationViewShowsTheLeaderAndASettingReachingEveryServer() async throws {
        let cluster = try await ClusterFixture.start(
            ClusterFixture.Options(
                coordination: .embedded,
                binary: ZooStackBinary.url,
                managementServers: 2,
                agents: [ClusterFixture.AgentSpec(name: "host-1")]
            )
        )
        do {
            try await Self.check(cluster)
        } catch {
            Issue.record("logs:\n\(cluster.logTails)")
            await cluster.shutdown()
            throw error
        }
        await cluster.shutdown()
    }

    static func check(_ cluster: ClusterFixture) async throws {
        // Both servers agree: one leader with an epoch, two live sessions, the one host owned, versions known.
        var leader = ""
        try await poll("both servers' coordination in listManagementServers", timeout: .seconds(30)) {
            var leaders: Set<String> = []
            for index in 0..<2 {
                let servers = try await cluster.client(index).list("listManagementServers")
                guard servers.count == 2,
                    servers.allSatisfy({ $0["zookeepersessionstate"]?.stringValue == "connected" }),
                    servers.compactMap({ $0["hostsowned"]?.int }).reduce(0, +) == 1,
                    servers.allSatisfy({ ($0["configurationversion"]?.int ?? 0) > 0 })
                else { return false }
                let leading = servers.filter { $0["isleader"] == .bool(true) }
                guard leading.count == 1, (leading[0]["leaderepoch"]?.int ?? 0) >= 1 else { return false }
                leaders.insert(leading[0]["id"]?.stringValue ?? "")
            }
            leader = leaders.first ?? ""
            return leaders.count == 1
        }
        let port = cluster.currentServers[0].apiPort
        let admin = cluster.credentials
        try await ConsoleCloud.withBrowser { browser in
            try await ConsoleCloud.logIn(browser, port: port, admin.username, admin.password)
            try await browser.click("#nav a[data-screen=coordination]")
            try await BrowserTests.settled(browser, "the coordination view")
            let shown = try await browser.execute("return document.getElementById('coord-leader').dataset.leader;")
            #expect(shown as? String == leader)
            #expect(try await browser.elements("#mgmt-servers tbody tr[data-leader=yes]").count == 1)
            #expect(try await browser.elements("#mgmt-servers tbody tr[data-session=connected]").count == 2)
            #expect(try await browser.text("#coord-leader").contains("epoch"))
            let shots = try Screenshots()
            defer { shots.cleanUp() }
            try await shots.take(browser, "coordination-cluster")

            // A setting changed here is watched until both servers report the new configuration version.
            try await browser.type("#coord-setting-name", "expunge.delay")
            try await browser.type("#coord-setting-value", "123")
            try await browser.click("#coord-apply")
            try await WebDriver.poll("the setting applied everywhere", timeout: .seconds(60)) {
                try await browser.execute("return document.getElementById('coord-propagation-status').dataset.done;")
                    as? String == "yes"
            }
            #expect(try await browser.text("#coord-propagation-error").isEmpty)
            #expect(try await browser.elements("#config-propagation tbody tr[data-applied=yes]").count == 2)
            try await shots.take(browser, "coordination-propagation")
        }
        // Both servers hold the value, the other one included.
        for index in 0..<2 {
            let settings = try await cluster.client(index).list("listConfigurations", ["name": "expunge.delay"])
            #expect(settings.first { $0["name"]?.stringValue == "expunge.delay" }?["value"]?.stringValue == "123")
        }
    }
}
