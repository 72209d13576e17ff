import CloudAPI
import CloudModel
import Testing

@Suite("Physical networks, traffic types and providers of each zone")
struct PhysicalNetworkViewTests {
    @Test func eachZoneShowsOnePhysicalNetworkWithItsTrafficAndProviders() async throws {
        let cloud = try await TestCloud.make()
        let zone = try await cloud.first("listZones", "zone")
        let zoneId = try #require(zone["id"]?.stringValue)
        let network = try await cloud.first("listPhysicalNetworks", "physicalnetwork", ["zoneid": zoneId])
        let networkId = try #require(network["id"]?.stringValue)
        #expect(network["zonename"]?.stringValue == zone["name"]?.stringValue)
        #expect(network["isolationmethods"]?.stringValue == "VLAN")
        let again = try await cloud.first("listPhysicalNetworks", "physicalnetwork", ["id": networkId])
        #expect(again["zoneid"]?.stringValue == zoneId)

        let (_, traffic) = await cloud.call("listTrafficTypes", ["physicalnetworkid": networkId])
        #expect(
            traffic.items.compactMap { $0["traffictype"]?.stringValue } == ["Guest", "Public", "Management", "Storage"]
        )
        let (missing, missingBody) = await cloud.call("listTrafficTypes")
        #expect(missing == 431)
        #expect(missingBody["errortext"]?.stringValue?.contains("physicalnetworkid") == true)
        let (unknown, _) = await cloud.call("listTrafficTypes", ["physicalnetworkid": zoneId])
        #expect(unknown == 431)

        let router = try await cloud.first(
            "listNetworkServiceProviders",
            "networkserviceprovider",
            ["physicalnetworkid": networkId, "name": "VirtualRouter"]
        )
        #expect(router["state"]?.stringValue == "Enabled")
        guard case .array(let services)? = router["servicelist"] else {
            Issue.record("no servicelist: \(router.json)")
            return
        }
        #expect(services.contains(.string("SourceNat")))
        let (_, disabled) = await cloud.call("listNetworkServiceProviders", ["state": "Disabled"])
        #expect(
            Set(disabled.items.compactMap { $0["name"]?.stringValue }) == ["InternalLbVm", "SecurityGroupProvider"]
        )

        let keys = try await cloud.makeUser("carol")
        let (_, supported) = await cloud.call("listSupportedNetworkServices", ["service": "Lb"], keys: keys)
        let lb = try #require(supported.items.first)
        guard case .array(let providers)? = lb["provider"] else {
            Issue.record("no provider: \(lb.json)")
            return
        }
        #expect(
            providers.compactMap { $0["name"]?.stringValue } == ["VirtualRouter", "VpcVirtualRouter", "InternalLbVm"]
        )
        let (adminOnly, _) = await cloud.call("listPhysicalNetworks", keys: keys)
        #expect(adminOnly == 432)
    }
}
