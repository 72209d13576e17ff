import CloudAPI
import CloudModel
import Testing

@Suite("Updating and deleting zones, pods and clusters")
struct InfrastructureUpdateTests {
    @Test func zonesKeepTheirDNSAndOnlyEmptyOnesAreDeleted() async throws {
        let cloud = try await TestCloud.make()
        let (status, created) = await cloud.call(
            "createZone",
            ["name": "east", "dns1": "198.18.0.53", "internaldns1": "198.18.0.54", "networktype": "Advanced"]
        )
        #expect(status == 200, "\(created.json)")
        let zoneId = try #require(created["zone"]?["id"]?.stringValue)
        #expect(created["zone"]?["dns1"]?.stringValue == "198.18.0.53")
        let (updated, updatedBody) = await cloud.call(
            "updateZone",
            [
                "id": zoneId, "name": "east-1", "dns2": "198.18.0.55", "domain": "east.example",
                "allocationstate": "disabled",
            ]
        )
        #expect(updated == 200, "\(updatedBody.json)")
        let zone = try #require(updatedBody["zone"])
        #expect(zone["name"]?.stringValue == "east-1")
        #expect(zone["dns1"]?.stringValue == "198.18.0.53")
        #expect(zone["dns2"]?.stringValue == "198.18.0.55")
        #expect(zone["internaldns1"]?.stringValue == "198.18.0.54")
        #expect(zone["domain"]?.stringValue == "east.example")
        #expect(zone["allocationstate"]?.stringValue == "Disabled")
        let listed = try await cloud.first("listZones", "zone", ["id": zoneId])
        #expect(listed["dns2"]?.stringValue == "198.18.0.55")
        let (badDNS, _) = await cloud.call("updateZone", ["id": zoneId, "dns1": "not-an-address"])
        #expect(badDNS == 431)
        let existing = try await cloud.first("listZones", "zone")
        let (taken, _) = await cloud.call("updateZone", ["id": zoneId, "name": existing["name"]?.stringValue ?? ""])
        #expect(taken == 431)

        let (_, pod) = await cloud.call(
            "createPod",
            ["zoneid": zoneId, "name": "p1", "gateway": "198.18.1.1", "netmask": "255.255.255.0"]
        )
        let podId = try #require(pod["pod"]?["id"]?.stringValue)
        let (podHeld, podHeldBody) = await cloud.call("deleteZone", ["id": zoneId])
        #expect(podHeld == 530)
        #expect(
            podHeldBody["errortext"]?.stringValue == "The zone is not deletable because there are pods in this zone"
        )
        let (_, cluster) = await cloud.call(
            "addCluster",
            [
                "zoneid": zoneId, "podid": podId, "clustername": "c1", "clustertype": "CloudManaged",
                "hypervisor": "Simulator",
            ]
        )
        let clusterId = try #require(cluster.items.first?["id"]?.stringValue)
        let (renamedCluster, renamedClusterBody) = await cloud.call(
            "updateCluster",
            ["id": clusterId, "clustername": "c2"]
        )
        #expect(renamedCluster == 200)
        #expect(renamedClusterBody["cluster"]?["name"]?.stringValue == "c2")
        let (clusterHeld, clusterHeldBody) = await cloud.call("deletePod", ["id": podId])
        #expect(clusterHeld == 530)
        #expect(clusterHeldBody["errortext"]?.stringValue?.contains("clusters") == true)
        let (renamedPod, renamedPodBody) = await cloud.call(
            "updatePod",
            ["id": podId, "name": "p2", "gateway": "198.18.1.254"]
        )
        #expect(renamedPod == 200)
        #expect(renamedPodBody["pod"]?["name"]?.stringValue == "p2")
        #expect(renamedPodBody["pod"]?["gateway"]?.stringValue == "198.18.1.254")
        #expect(renamedPodBody["pod"]?["zonename"]?.stringValue == "east-1")

        let (clusterDeleted, _) = await cloud.call("deleteCluster", ["id": clusterId])
        #expect(clusterDeleted == 200)
        let (podDeleted, _) = await cloud.call("deletePod", ["id": podId])
        #expect(podDeleted == 200)
        let (zoneDeleted, _) = await cloud.call("deleteZone", ["id": zoneId])
        #expect(zoneDeleted == 200)
        let (gone, goneBody) = await cloud.call("deleteZone", ["id": zoneId])
        #expect(gone == 431)
        #expect(goneBody["errortext"]?.stringValue?.contains("id") == true)
        let busyZone = try #require(existing["id"]?.stringValue)
        let (busy, _) = await cloud.call("deleteZone", ["id": busyZone])
        #expect(busy == 530)
        let userKeys = try await cloud.makeUser("bob")
        let (forbidden, _) = await cloud.call("updateZone", ["id": busyZone, "name": "x"], keys: userKeys)
        #expect(forbidden == 432)
    }
}
