import CloudAPI
import CloudModel
import Testing

@Suite("Public IP ranges of a zone")
struct VlanIpRangeTests {
    @Test func rangesAreListedCreatedAndDeletedWhileFree() async throws {
        let cloud = try await TestCloud.make()
        let zone = try await cloud.first("listZones", "zone")
        let zoneId = try #require(zone["id"]?.stringValue)
        let (_, before) = await cloud.call("listVlanIpRanges", ["zoneid": zoneId])
        #expect(!before.items.isEmpty)
        let (status, created) = await cloud.call(
            "createVlanIpRange",
            [
                "zoneid": zoneId, "startip": "198.19.5.10", "endip": "198.19.5.20", "gateway": "198.19.5.1",
                "netmask": "255.255.255.0", "vlan": "vlan://105", "forvirtualnetwork": "true",
            ]
        )
        #expect(status == 200, "\(created.json)")
        let range = try #require(created["vlan"])
        let id = try #require(range["id"]?.stringValue)
        #expect(range["startip"]?.stringValue == "198.19.5.10")
        #expect(range["endip"]?.stringValue == "198.19.5.20")
        #expect(range["vlan"]?.stringValue == "vlan://105")
        let listed = try await cloud.first("listVlanIpRanges", "vlaniprange", ["id": id])
        #expect(listed["gateway"]?.stringValue == "198.19.5.1")
        let (overlap, _) = await cloud.call(
            "createVlanIpRange",
            [
                "zoneid": zoneId, "startip": "198.19.5.15", "endip": "198.19.5.30", "gateway": "198.19.5.1",
                "netmask": "255.255.255.0",
            ]
        )
        #expect(overlap == 431)
        let (backwards, _) = await cloud.call(
            "createVlanIpRange",
            [
                "zoneid": zoneId, "startip": "198.19.6.20", "endip": "198.19.6.10", "gateway": "198.19.6.1",
                "netmask": "255.255.255.0",
            ]
        )
        #expect(backwards == 431)
        let (missing, missingBody) = await cloud.call("createVlanIpRange", ["zoneid": zoneId, "startip": "198.19.7.1"])
        #expect(missing == 431)
        #expect(missingBody["errortext"]?.stringValue?.contains("gateway") == true)

        let (deleted, _) = await cloud.call("deleteVlanIpRange", ["id": id])
        #expect(deleted == 200)
        let (_, after) = await cloud.call("listVlanIpRanges", ["id": id])
        #expect(after.items.isEmpty)
        // An isolated network takes its source NAT address from the zone's range: the range is in use.
        _ = try await NetworkCommandTests.isolated(cloud, name: "n")
        let (_, ranges) = await cloud.call("listVlanIpRanges", ["zoneid": zoneId])
        let used = try #require(ranges.items.first?["id"]?.stringValue)
        let (busy, busyBody) = await cloud.call("deleteVlanIpRange", ["id": used])
        #expect(busy == 530, "\(busyBody.json)")
    }
}
