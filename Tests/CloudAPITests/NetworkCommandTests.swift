import CloudAPI
import CloudModel
import CloudStore
import Testing

@Suite("Networks")
struct NetworkCommandTests {
    /// The id of the named network offering.
    static func offering(_ cloud: TestCloud, _ name: String) async throws -> String {
        let offering = try await cloud.first("listNetworkOfferings", "networkoffering", ["name": name])
        return try #require(offering["id"]?.stringValue)
    }

    /// Creates an isolated network (the caller's unless keys are given) and returns its id.
    static func isolated(
        _ cloud: TestCloud,
        name: String,
        keys: (String, String)? = nil,
        extra: [String: String] = [:]
    )
        async throws -> String
    {
        let zone = try await cloud.first("listZones", "zone")
        var parameters = [
            "name": name, "displaytext": name, "zoneid": zone["id"]?.stringValue ?? "",
            "networkofferingid": try await Self.offering(cloud, "DefaultIsolatedNetworkOfferingWithSourceNatService"),
        ]
        parameters.merge(extra) { _, new in new }
        let (status, body) = await cloud.call("createNetwork", parameters, keys: keys)
        #expect(status == 200, "\(body.json)")
        return try #require(body["network"]?["id"]?.stringValue)
    }

    @Test func offeringsAreSeededAndFiltered() async throws {
        let cloud = try await TestCloud.make()
        let (_, all) = await cloud.call("listNetworkOfferings")
        let names = Set(all.items.compactMap { $0["name"]?.stringValue })
        #expect(names.contains("DefaultIsolatedNetworkOfferingWithSourceNatService"))
        #expect(names.contains("DefaultSharedNetworkOffering"))
        let (_, shared) = await cloud.call("listNetworkOfferings", ["guestiptype": "Shared"])
        #expect(!shared.items.isEmpty)
        #expect(shared.items.allSatisfy { $0["guestiptype"]?.stringValue == "Shared" })
        let (_, vpc) = await cloud.call("listNetworkOfferings", ["forvpc": "true"])
        #expect(
            Set(vpc.items.compactMap { $0["name"]?.stringValue }) == [
                "DefaultIsolatedNetworkOfferingForVpcNetworks", "DefaultIsolatedNetworkOfferingForVpcNetworksNoLB",
                "DefaultIsolatedNetworkOfferingForVpcNetworksWithInternalLB",
            ]
        )
    }

    @Test func createListUpdateDelete() async throws {
        let cloud = try await TestCloud.make()
        let id = try await Self.isolated(
            cloud,
            name: "net-a",
            extra: ["gateway": "10.7.0.1", "netmask": "255.255.255.0"]
        )
        let listed = try await cloud.first("listNetworks", "network", ["id": id])
        #expect(listed["cidr"]?.stringValue == "10.7.0.0/24")
        #expect(listed["type"]?.stringValue == "Isolated")
        #expect(listed["networkofferingname"]?.stringValue == "DefaultIsolatedNetworkOfferingWithSourceNatService")
        // The zone's shared network and the new one are both listed.
        let (_, all) = await cloud.call("listNetworks")
        #expect(all.items.count == 2)
        let updated = try await cloud.callAndWait("updateNetwork", ["id": id, "name": "net-b", "displaytext": "B"])
        #expect(updated["jobresult"]?["network"]?["name"]?.stringValue == "net-b")
        let restarted = try await cloud.callAndWait("restartNetwork", ["id": id])
        #expect(restarted["jobstatus"]?.int == 1)
        // The isolated network took a source NAT address.
        let (_, ips) = await cloud.call("listPublicIpAddresses", ["associatednetworkid": id])
        #expect(ips.items.count == 1 && ips.items.first?["issourcenat"] == .bool(true))
        let deleted = try await cloud.callAndWait("deleteNetwork", ["id": id])
        #expect(deleted["jobstatus"]?.int == 1, "\(deleted.json)")
        let (_, after) = await cloud.call("listNetworks", ["id": id])
        #expect(after.items.isEmpty)
    }

    @Test func badCIDRsAreRefusedNamingTheParameter() async throws {
        let cloud = try await TestCloud.make()
        let zone = try await cloud.first("listZones", "zone")
        let offering = try await Self.offering(cloud, "DefaultIsolatedNetworkOfferingWithSourceNatService")
        let base = ["name": "x", "zoneid": zone["id"]?.stringValue ?? "", "networkofferingid": offering]
        let (status, body) = await cloud.call(
            "createNetwork",
            base.merging(["gateway": "10.0.0.1", "netmask": "255.0.255.0"]) { $1 }
        )
        #expect(status == 431)
        #expect(body["errortext"]?.stringValue?.contains("netmask") == true)
        let (missing, _) = await cloud.call("createNetwork", base.merging(["gateway": "10.0.0.1"]) { $1 })
        #expect(missing == 431)
        let shared = try await Self.offering(cloud, "DefaultSharedNetworkOffering")
        let (overlap, overlapBody) = await cloud.call(
            "createNetwork",
            base.merging(["networkofferingid": shared, "gateway": "10.1.1.129", "netmask": "255.255.255.128"]) { $1 }
        )
        #expect(overlap == 431)
        #expect(overlapBody["errortext"]?.stringValue?.contains("overlaps") == true)
    }

    @Test func twoVMsOnANetworkGetDistinctAddressesAndDeleteIsRefusedWhileInUse() async throws {
        let cloud = try await TestCloud.make()
        let id = try await Self.isolated(
            cloud,
            name: "net-vms",
            extra: ["gateway": "10.9.0.1", "netmask": "255.255.255.248"]
        )
        var addresses: [String] = []
        for _ in 0..<2 {
            let job = try await cloud.deploy(extra: ["networkids": id])
            guard case .array(let nics)? = job["jobresult"]?["virtualmachine"]?["nic"] else {
                Issue.record("no nics: \(job.json)")
                return
            }
            #expect(nics.count == 1)
            #expect(nics.first?["networkid"]?.stringValue == id)
            addresses += nics.compactMap { $0["ipaddress"]?.stringValue }
        }
        #expect(Set(addresses).count == 2)
        #expect(!addresses.contains("10.9.0.1"))
        let job = try await cloud.callAndWait("deleteNetwork", ["id": id])
        #expect(job["jobstatus"]?.int == 2)
        #expect(job["jobresult"]?["errorcode"]?.int == 536)
    }

    @Test func nicsAreAddedListedAndRemovedButNotTheDefault() async throws {
        let cloud = try await TestCloud.make()
        let id = try await Self.isolated(cloud, name: "net-nic")
        let deployed = try await cloud.deploy()
        let vmId = try #require(deployed["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        let added = try await cloud.callAndWait("addNicToVirtualMachine", ["virtualmachineid": vmId, "networkid": id])
        #expect(added["jobstatus"]?.int == 1, "\(added.json)")
        let (_, nics) = await cloud.call("listNics", ["virtualmachineid": vmId])
        #expect(nics.items.count == 2)
        let defaultNic = try #require(nics.items.first { $0["isdefault"] == .bool(true) })
        let extraNic = try #require(nics.items.first { $0["networkid"]?.stringValue == id })
        #expect(extraNic["isdefault"] == .bool(false))
        let again = try await cloud.callAndWait("addNicToVirtualMachine", ["virtualmachineid": vmId, "networkid": id])
        #expect(again["jobresult"]?["errorcode"]?.int == 431)
        let (refused, _) = await cloud.call(
            "removeNicFromVirtualMachine",
            ["virtualmachineid": vmId, "nicid": defaultNic["id"]?.stringValue ?? ""]
        )
        #expect(refused == 431)
        let removed = try await cloud.callAndWait(
            "removeNicFromVirtualMachine",
            ["virtualmachineid": vmId, "nicid": extraNic["id"]?.stringValue ?? ""]
        )
        #expect(removed["jobstatus"]?.int == 1)
        let (_, left) = await cloud.call("listNics", ["virtualmachineid": vmId])
        #expect(left.items.count == 1)
        let deleted = try await cloud.callAndWait("deleteNetwork", ["id": id])
        #expect(deleted["jobstatus"]?.int == 1)
    }

    @Test func usersSeeTheirOwnNetworksAndTheSharedOne() async throws {
        let cloud = try await TestCloud.make()
        let alice = try await cloud.makeUser("alice")
        let bob = try await cloud.makeUser("bob")
        let id = try await Self.isolated(cloud, name: "alice-net", keys: alice)
        let (_, bobs) = await cloud.call("listNetworks", keys: bob)
        #expect(!bobs.items.contains { $0["id"]?.stringValue == id })
        #expect(bobs.items.count == 1)
        let (status, _) = await cloud.call("deleteNetwork", ["id": id], keys: bob)
        #expect(status == 531)
        let zone = try await cloud.first("listZones", "zone")
        let template = try await cloud.first("listTemplates", "template", ["templatefilter": "featured"])
        let small = try await cloud.first("listServiceOfferings", "serviceoffering", ["name": "Small Instance"])
        let (deployStatus, _) = await cloud.call(
            "deployVirtualMachine",
            [
                "zoneid": zone["id"]?.stringValue ?? "", "templateid": template["id"]?.stringValue ?? "",
                "serviceofferingid": small["id"]?.stringValue ?? "", "networkids": id,
            ],
            keys: bob
        )
        #expect(deployStatus == 531)
        let shared = try await Self.offering(cloud, "DefaultSharedNetworkOffering")
        let (denied, _) = await cloud.call(
            "createNetwork",
            [
                "name": "s", "zoneid": zone["id"]?.stringValue ?? "", "networkofferingid": shared,
                "gateway": "10.50.0.1", "netmask": "255.255.255.0",
            ],
            keys: alice
        )
        #expect(denied == 531)
    }
}
