import CloudAPI
import ClusterHarness
import Foundation
import Testing

extension ClusterProcessTests {
    /// Issue 18: `zoostack agent --simulator --hosts 3` is three hosts in one process (one agent port, one
    /// ZooKeeper session): a management server adopts all three as Up, in one zone.
    @Test func oneAgentProcessSimulatesThreeHosts() async throws {
        let cluster = try await ClusterFixture.start(
            ClusterFixture.Options(
                coordination: .embedded,
                binary: ZooStackBinary.url,
                managementServers: 1,
                agents: [],
                sessionTimeout: Self.sessionTimeout
            )
        )
        do {
            let ids = try await cluster.startSimulatedHosts(count: 3, name: "sim")
            #expect(Set(ids).count == 3)
            try await cluster.waitForHosts(ids, state: "Up")
            let hosts = try await cluster.client(0).list("listHosts", ["type": "Routing"])
                .filter { ids.contains($0["id"]?.stringValue ?? "") }
            #expect(hosts.count == 3)
            #expect(Set(hosts.compactMap { $0["name"]?.stringValue }) == ["sim-1", "sim-2", "sim-3"])
            #expect(Set(hosts.compactMap { $0["zoneid"]?.stringValue }).count == 1)
            #expect(Set(hosts.compactMap { $0["ipaddress"]?.stringValue }) == ["127.0.0.1"])
            await cluster.shutdown()
        } catch {
            Issue.record("\(error)\nlogs in \(cluster.directory.path)\n\(cluster.logTails)")
            await cluster.shutdown(keepingLogs: true)
        }
    }
}
