import CloudAPI
import CloudCore
import CloudModel
import CloudStore
import Testing

@Suite("Address allocation under concurrency")
struct AddressAllocationTests {
    @Test func concurrentPublicIPAllocationsNeverShareAnAddress() async throws {
        let cloud = try await TestCloud.make()
        let store = cloud.server.core.store
        let zone = try #require(try await store.list(Zone.self).items.first)
        let total = try await store.list(PublicIPAddress.self, ListQuery(equals: [("zone_id", zone.id)])).total
        // Ask for more than the range holds: every address goes to exactly one caller, the rest get nil.
        let results = await withTaskGroup(of: String?.self) { group in
            for _ in 0..<(total + 10) {
                group.addTask {
                    try? await store.allocatePublicIP(
                        zoneId: zone.id,
                        accountId: "a",
                        networkId: nil,
                        vpcId: nil,
                        sourceNat: false
                    )?.address
                }
            }
            var all: [String?] = []
            for await result in group { all.append(result) }
            return all
        }
        let addresses = results.compactMap { $0 }
        #expect(addresses.count == total)
        #expect(Set(addresses).count == total)
    }

    @Test func concurrentNicsOnASmallNetworkGetDistinctAddresses() async throws {
        let cloud = try await TestCloud.make()
        let store = cloud.server.core.store
        let zone = try #require(try await store.list(Zone.self).items.first)
        let network = Network(
            id: "net-small",
            name: "small",
            zoneId: zone.id,
            gateway: "10.99.0.1",
            netmask: "255.255.255.240",
            startIp: "10.99.0.2",
            endIp: "10.99.0.14",
            accountId: "a",
            guestType: "Isolated"
        )
        try await store.insert(network)
        let results = await withTaskGroup(of: String?.self) { group in
            for index in 0..<20 {
                group.addTask {
                    try? await store.allocateNic(
                        vmId: "vm-\(index)",
                        network: network,
                        isDefault: true,
                        nicId: "nic-\(index)",
                        macAddress: "02:00:00:00:00:\(index)"
                    ).ipAddress
                }
            }
            var all: [String?] = []
            for await result in group { all.append(result) }
            return all
        }
        let addresses = results.compactMap { $0 }
        #expect(addresses.count == 13)
        #expect(Set(addresses).count == 13)
        #expect(!addresses.contains("10.99.0.1"))
    }
}
