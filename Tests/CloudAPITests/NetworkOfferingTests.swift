import CloudAPI
import CloudModel
import Testing

@Suite("Network offerings admins create, update and delete")
struct NetworkOfferingTests {
    @Test func createdDisabledEnabledUsedAndDeletedOnlyWhenUnused() async throws {
        let cloud = try await TestCloud.make()
        let (status, created) = await cloud.call(
            "createNetworkOffering",
            [
                "name": "web-net", "displaytext": "web networks", "guestiptype": "isolated", "traffictype": "GUEST",
                "supportedservices": "Dhcp,Dns,UserData,SourceNat,Firewall,PortForwarding",
            ]
        )
        #expect(status == 200, "\(created.json)")
        let offering = try #require(created["networkoffering"])
        let id = try #require(offering["id"]?.stringValue)
        #expect(offering["state"]?.stringValue == "Disabled")
        #expect(offering["guestiptype"]?.stringValue == "Isolated")
        #expect(offering["isdefault"] == .bool(false))
        let (missing, missingBody) = await cloud.call("createNetworkOffering", ["name": "x", "traffictype": "GUEST"])
        #expect(missing == 431)
        #expect(missingBody["errortext"]?.stringValue?.contains("guestiptype") == true)
        let (badService, _) = await cloud.call(
            "createNetworkOffering",
            ["name": "x", "guestiptype": "Isolated", "traffictype": "GUEST", "supportedservices": "Teleport"]
        )
        #expect(badService == 431)
        let (taken, _) = await cloud.call(
            "createNetworkOffering",
            ["name": "web-net", "guestiptype": "Isolated", "traffictype": "GUEST"]
        )
        #expect(taken == 431)

        let (enabled, enabledBody) = await cloud.call(
            "updateNetworkOffering",
            ["id": id, "state": "enabled", "displaytext": "the web"]
        )
        #expect(enabled == 200, "\(enabledBody.json)")
        #expect(enabledBody["networkoffering"]?["state"]?.stringValue == "Enabled")
        #expect(enabledBody["networkoffering"]?["displaytext"]?.stringValue == "the web")
        let listed = try await cloud.first("listNetworkOfferings", "networkoffering", ["id": id])
        #expect(listed["name"]?.stringValue == "web-net")

        let zone = try await cloud.first("listZones", "zone")
        let (networkStatus, network) = await cloud.call(
            "createNetwork",
            ["name": "w", "displaytext": "w", "zoneid": zone["id"]?.stringValue ?? "", "networkofferingid": id]
        )
        #expect(networkStatus == 200, "\(network.json)")
        let (inUse, inUseBody) = await cloud.call("deleteNetworkOffering", ["id": id])
        #expect(inUse == 431)
        #expect(inUseBody["errortext"]?.stringValue?.contains("as its used by 1 networks") == true)
        let defaultOffering = try await cloud.first("listNetworkOfferings", "networkoffering", ["isdefault": "true"])
        let (isDefault, isDefaultBody) = await cloud.call(
            "deleteNetworkOffering",
            ["id": defaultOffering["id"]?.stringValue ?? ""]
        )
        #expect(isDefault == 431)
        #expect(isDefaultBody["errortext"]?.stringValue == "Default network offering can't be deleted")
        let networkId = try #require(network["network"]?["id"]?.stringValue)
        _ = try await cloud.callAndWait("deleteNetwork", ["id": networkId])
        let (deleted, _) = await cloud.call("deleteNetworkOffering", ["id": id])
        #expect(deleted == 200)
        let keys = try await cloud.makeUser("dave")
        let (forbidden, _) = await cloud.call(
            "createNetworkOffering",
            ["name": "y", "guestiptype": "Isolated", "traffictype": "GUEST"],
            keys: keys
        )
        #expect(forbidden == 432)
    }
}
