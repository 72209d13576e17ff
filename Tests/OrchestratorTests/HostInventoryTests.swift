import CloudModel
import Testing

@testable import Orchestrator

struct HostInventoryTests {
    @Test func hostsAreGroupedByClusterKeepingEveryOtherOrder() {
        func host(_ id: String, _ cluster: String) -> Host {
            Host(
                id: id,
                name: id,
                zoneId: "z",
                podId: "p",
                clusterId: cluster,
                ipAddress: "10.0.0.1",
                hypervisor: "Simulator",
                cpuNumber: 1,
                cpuSpeed: 1000,
                memory: 1
            )
        }
        let hosts = [host("a", "c2"), host("b", "c1"), host("c", "c2"), host("d", "c3"), host("e", "c1")]
        let grouped = HostInventory.groupedByCluster(hosts)
        #expect(grouped.map(\.id) == ["a", "c", "b", "e", "d"])
        #expect(HostInventory.groupedByCluster(Array(hosts.prefix(1))).map(\.id) == ["a"])
    }
}
