import CloudAPI
import CloudModel
import CloudStore
import Testing

@Suite("VPCs and network ACLs")
struct VPCTests {
    @Test func vpcWithTiersAndACLs() async throws {
        let cloud = try await TestCloud.make()
        let zone = try await cloud.first("listZones", "zone")
        let zoneId = try #require(zone["id"]?.stringValue)
        let offering = try await cloud.first("listVPCOfferings", "vpcoffering")
        let created = try await cloud.callAndWait(
            "createVPC",
            [
                "name": "vpc1", "cidr": "10.20.0.0/16", "zoneid": zoneId,
                "vpcofferingid": offering["id"]?.stringValue ?? "",
            ]
        )
        let vpcId = try #require(created["jobresult"]?["vpc"]?["id"]?.stringValue, "\(created.json)")
        let tierOffering = try await NetworkCommandTests.offering(cloud, "DefaultIsolatedNetworkOfferingForVpcNetworks")
        func tier(_ name: String, _ gateway: String) async -> (Int, APIValue) {
            await cloud.call(
                "createNetwork",
                [
                    "name": name, "zoneid": zoneId, "networkofferingid": tierOffering, "vpcid": vpcId,
                    "gateway": gateway, "netmask": "255.255.255.0",
                ]
            )
        }
        let (status, body) = await tier("web", "10.20.1.1")
        #expect(status == 200, "\(body.json)")
        let tierId = try #require(body["network"]?["id"]?.stringValue)
        #expect(body["network"]?["vpcid"]?.stringValue == vpcId)
        let (overlap, _) = await tier("web2", "10.20.1.129")
        #expect(overlap == 431)
        let (outside, _) = await tier("out", "10.30.1.1")
        #expect(outside == 431)
        let listed = try await cloud.first("listVPCs", "vpc", ["id": vpcId])
        guard case .array(let tiers)? = listed["network"] else {
            Issue.record("no tiers: \(listed.json)")
            return
        }
        #expect(tiers.count == 1)
        let acl = try await cloud.callAndWait("createNetworkACLList", ["name": "web-acl", "vpcid": vpcId])
        let aclId = try #require(acl["jobresult"]?["networkacllist"]?["id"]?.stringValue)
        let item = try await cloud.callAndWait(
            "createNetworkACL",
            [
                "aclid": aclId, "protocol": "tcp", "startport": "443", "endport": "443", "action": "allow",
                "number": "10",
            ]
        )
        #expect(item["jobstatus"]?.int == 1, "\(item.json)")
        let (dupNumber, _) = await cloud.call(
            "createNetworkACL",
            ["aclid": aclId, "protocol": "tcp", "startport": "80", "number": "10"]
        )
        #expect(dupNumber == 431)
        let replaced = try await cloud.callAndWait("replaceNetworkACLList", ["aclid": aclId, "networkid": tierId])
        #expect(replaced["jobstatus"]?.int == 1)
        let (_, items) = await cloud.call("listNetworkACLs", ["networkid": tierId])
        #expect(items.items.count == 1)
        // Without a list or a network, CloudStack lists the items of every list the caller may see (issue 16).
        let (allStatus, all) = await cloud.call("listNetworkACLs", ["listall": "true"])
        #expect(allStatus == 200)
        #expect(all.items.contains { $0["aclid"]?.stringValue == aclId })
        let stranger = try await cloud.makeUser("acl-stranger")
        let (strangerStatus, strangers) = await cloud.call("listNetworkACLs", [:], keys: stranger)
        #expect(strangerStatus == 200)
        #expect(!strangers.items.contains { $0["aclid"]?.stringValue == aclId })
        let inUseList = try await cloud.callAndWait("deleteNetworkACLList", ["id": aclId])
        #expect(inUseList["jobresult"]?["errorcode"]?.int == 536)
        let (_, lists) = await cloud.call("listNetworkACLLists", ["vpcid": vpcId])
        #expect(
            Set(lists.items.compactMap { $0["name"]?.stringValue }) == ["default_allow", "default_deny", "web-acl"]
        )
        // id and name (in any case) name the ACL list, with or without its VPC (issue 16).
        for filter in [
            ["id": aclId], ["name": "WEB-acl"], ["id": aclId, "vpcid": vpcId], ["name": "web-acl", "vpcid": vpcId],
        ] {
            let (_, found) = await cloud.call("listNetworkACLLists", filter)
            #expect(found.items.compactMap { $0["id"]?.stringValue } == [aclId], "\(filter)")
        }
        let refused = try await cloud.callAndWait("deleteVPC", ["id": vpcId])
        #expect(refused["jobresult"]?["errorcode"]?.int == 536)
        _ = try await cloud.callAndWait("deleteNetwork", ["id": tierId])
        let deleted = try await cloud.callAndWait("deleteVPC", ["id": vpcId])
        #expect(deleted["jobstatus"]?.int == 1)
        let (_, after) = await cloud.call("listVPCs")
        #expect(after.items.isEmpty)
    }
}
