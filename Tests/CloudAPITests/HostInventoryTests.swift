import CloudAPI
import CloudCore
import CloudModel
import CloudStore
import Orchestrator
import Testing

struct HostInventoryTests {
    @Test func plannerSeesHostChangesMadeThroughTheStore() async throws {
        let cloud = try await TestCloud.make()
        _ = await cloud.call("updateConfiguration", ["name": "vm.allocation.algorithm", "value": "firstfit"])
        let hosts = try await PlacementWiringTests.hostIds(cloud)
        #expect(PlacementWiringTests.placedHost(try await cloud.deploy()) == hosts[0])
        try await cloud.server.core.store.updateHost(id: hosts[0], resourceState: "Disabled")
        #expect(PlacementWiringTests.placedHost(try await cloud.deploy()) == hosts[1])
        // A reservation made outside the planner (another service) is seen by the next decision.
        let taken = try await cloud.server.core.store.reserveCapacity(hostId: hosts[1], cpu: 32000 - 500, memory: 0)
        #expect(taken)
        #expect(PlacementWiringTests.placedHost(try await cloud.deploy()) == hosts[2])
    }

    @Test func imageStoresAreRestoredForZonesWithTemplatesOnly() async throws {
        let cloud = try await TestCloud.make()
        let store = cloud.server.core.store
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
