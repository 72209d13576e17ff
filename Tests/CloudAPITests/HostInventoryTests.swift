import CloudAPI
import CloudModel
import CloudStore
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

    @Test func changeLogReportsChangedHostsThenEverything() {
        let log = HostChangeLog()
        let start = log.generation
        #expect(log.changes(since: start) == .none)
        log.changed("a")
        log.changed("b")
        log.changed("a")
        #expect(log.changes(since: start) == .hosts(["a", "b"]))
        let middle = log.generation
        log.changed("c")
        #expect(log.changes(since: middle) == .hosts(["c"]))
        log.changedAll()
        #expect(log.changes(since: middle) == .all)
        let after = log.generation
        for index in 0..<5000 { log.changed("h\(index)") }
        #expect(log.changes(since: after) == .all, "the log no longer reaches back that far")
        let recent = log.generation
        log.changed("z")
        #expect(log.changes(since: recent) == .hosts(["z"]))
    }

    @Test func plannerSeesHostChangesMadeThroughTheStore() async throws {
        let cloud = try await TestCloud.make()
        _ = await cloud.call("updateConfiguration", ["name": "vm.allocation.algorithm", "value": "firstfit"])
        let hosts = try await PlacementWiringTests.hostIds(cloud)
        #expect(PlacementWiringTests.placedHost(try await cloud.deploy()) == hosts[0])
        try await cloud.server.store.updateHost(id: hosts[0], resourceState: "Disabled")
        #expect(PlacementWiringTests.placedHost(try await cloud.deploy()) == hosts[1])
        // A reservation made outside the planner (another service) is seen by the next decision.
        let taken = try await cloud.server.store.reserveCapacity(hostId: hosts[1], cpu: 32000 - 500, memory: 0)
        #expect(taken)
        #expect(PlacementWiringTests.placedHost(try await cloud.deploy()) == hosts[2])
    }

    @Test func imageStoresAreRestoredForZonesWithTemplatesOnly() async throws {
        let cloud = try await TestCloud.make()
        let store = cloud.server.store
        for imageStore in try await store.list(ImageStore.self).items {
            try await store.deleteImageStore(id: imageStore.id)
        }
        _ = await cloud.call(
            "createZone",
            ["name": "Empty", "dns1": "8.8.8.8", "internaldns1": "10.0.0.2", "networktype": "Advanced"]
        )
        #expect(try await SimulatedZoneSeeder.ensureImageStores(store: store) == 1)
        #expect(try await SimulatedZoneSeeder.ensureImageStores(store: store) == 0)
    }
}
