import CloudAPI
import CloudModel
import Orchestrator
import Testing

/// VPC offerings as a fresh CloudStack has them (`Default VPC offering`, `Redundant VPC offering`) and as the root
/// admin makes them: created Disabled unless `enable`, usable once Enabled, never deleted while in use or default.
struct VPCOfferingTests {
    static func createVPC(_ cloud: TestCloud, _ name: String, offering: String) async throws -> (Int, APIValue) {
        let zone = try await cloud.first("listZones", "zone")
        return await cloud.call(
            "createVPC",
            [
                "name": name, "cidr": "10.40.0.0/16", "zoneid": zone["id"]?.stringValue ?? "",
                "vpcofferingid": offering,
            ]
        )
    }

    @Test func aFreshCloudHasCloudStacksDefaultOfferings() async throws {
        let cloud = try await TestCloud.make()
        let (_, vpcOfferings) = await cloud.call("listVPCOfferings")
        #expect(
            vpcOfferings.items.compactMap { $0["name"]?.stringValue } == [
                "Default VPC offering", "Redundant VPC offering",
            ]
        )
        #expect(vpcOfferings.items.allSatisfy { $0["isdefault"] == .bool(true) && $0["state"] == .string("Enabled") })
        let (_, byName) = await cloud.call("listVPCOfferings", ["name": "redundant vpc OFFERING"])
        #expect(byName.items.count == 1)
        let (_, networkOfferings) = await cloud.call("listNetworkOfferings")
        let names = Set(networkOfferings.items.compactMap { $0["name"]?.stringValue })
        for name in [
            "DefaultIsolatedNetworkOfferingForVpcNetworksWithInternalLB",
            "DefaultIsolatedNetworkOfferingForVpcNetworksNoLB",
            "DefaultL2NetworkOffering", "DefaultL2NetworkOfferingConfigDrive", "QuickCloudNoServices",
        ] {
            #expect(names.contains(name), "\(name) missing")
        }
        // A redundant offering's VPC says so.
        let redundant = try #require(byName.items.first?["id"]?.stringValue)
        let (status, created) = try await Self.createVPC(cloud, "ha-vpc", offering: redundant)
        #expect(status == 200, "\(created.json)")
        await cloud.server.jobs.drain()
        let vpc = try await cloud.first("listVPCs", "vpc", ["name": "ha-vpc"])
        #expect(vpc["redundantvpcrouter"] == .bool(true))
        #expect(vpc["vpcofferingname"]?.stringValue == "Redundant VPC offering")
    }

    @Test func anOfferingIsCreatedDisabledEnabledUsedAndOnlyThenDeletable() async throws {
        let cloud = try await TestCloud.make()
        let created = try await cloud.callAndWait(
            "createVPCOffering",
            ["name": "tiny-vpc", "displaytext": "Tiny", "supportedservices": "Dhcp,Dns,SourceNat,NetworkACL"]
        )
        let offering = try #require(created["jobresult"]?["vpcoffering"], "\(created.json)")
        let id = try #require(offering["id"]?.stringValue)
        #expect(offering["state"]?.stringValue == "Disabled")
        #expect(offering["isdefault"] == .bool(false))
        let disabled = try await Self.createVPC(cloud, "vpc-a", offering: id)
        #expect(disabled.0 == 431)
        #expect(disabled.1["errortext"]?.stringValue?.contains("Enabled state") == true)
        let enabled = try await cloud.callAndWait("updateVPCOffering", ["id": id, "state": "Enabled"])
        #expect(enabled["jobresult"]?["vpcoffering"]?["state"]?.stringValue == "Enabled", "\(enabled.json)")
        let (status, vpcJob) = try await Self.createVPC(cloud, "vpc-a", offering: id)
        #expect(status == 200, "\(vpcJob.json)")
        await cloud.server.jobs.drain()
        let vpc = try await cloud.first("listVPCs", "vpc", ["name": "vpc-a"])
        #expect(vpc["vpcofferingname"]?.stringValue == "tiny-vpc")
        let inUse = try await cloud.callAndWait("deleteVPCOffering", ["id": id])
        #expect(inUse["jobresult"]?["errorcode"]?.int == 536, "\(inUse.json)")
        let defaultOne = try await cloud.first("listVPCOfferings", "vpcoffering", ["isdefault": "true"])
        let deleteDefault = try await cloud.callAndWait(
            "deleteVPCOffering",
            ["id": defaultOne["id"]?.stringValue ?? ""]
        )
        #expect(deleteDefault["jobresult"]?["errorcode"]?.int == 431, "\(deleteDefault.json)")
        _ = try await cloud.callAndWait("deleteVPC", ["id": vpc["id"]?.stringValue ?? ""])
        let deleted = try await cloud.callAndWait("deleteVPCOffering", ["id": id])
        #expect(deleted["jobresult"]?["success"] == .bool(true), "\(deleted.json)")
        #expect(await cloud.call("listVPCOfferings", ["id": id]).body.items.isEmpty)
        // Bad input names what is wrong.
        #expect(await cloud.call("createVPCOffering", ["name": "x", "supportedservices": "Teleport"]).status == 431)
        #expect(await cloud.call("createVPCOffering", ["displaytext": "no name"]).status == 431)
        #expect(await cloud.call("updateVPCOffering", ["id": id, "state": "Sleeping"]).status == 431)
    }

    @Test func anL2OfferingIsListedButCreatesNoNetworkYet() async throws {
        let cloud = try await TestCloud.make()
        let zone = try await cloud.first("listZones", "zone")
        let offering = try await cloud.first(
            "listNetworkOfferings",
            "networkoffering",
            ["name": "DefaultL2NetworkOffering"]
        )
        let (status, body) = await cloud.call(
            "createNetwork",
            [
                "name": "l2", "zoneid": zone["id"]?.stringValue ?? "",
                "networkofferingid": offering["id"]?.stringValue ?? "",
            ]
        )
        #expect(status == 431)
        #expect(body["errortext"]?.stringValue?.contains("networkofferingid") == true)
    }
}
