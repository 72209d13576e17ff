import CloudAPI
import CloudCore
import CloudModel
import CloudStore
import Orchestrator
import Testing

/// Static NAT as CloudStack's `RulesManager` has it: IP forwarding rules need static NAT on their address, and an
/// address belongs either to static NAT or to port forwarding and load balancing; CloudStack's default disk
/// offerings; the `success` of synchronous answers as CloudStack's serializer writes it.
@Suite("Static NAT and IP forwarding rules")
struct StaticNatRuleTests {
    static func forward(_ s: PublicIPAndRuleTests.Setup, _ parameters: [String: String]) async -> (Int, APIValue) {
        await s.cloud.call("createIpForwardingRule", ["ipaddressid": s.ipId].merging(parameters) { $1 })
    }

    @Test func ipForwardingRulesNeedStaticNatAndGoWithIt() async throws {
        let s = try await PublicIPAndRuleTests.setup()
        let (without, withoutBody) = await Self.forward(s, ["protocol": "tcp", "startport": "22"])
        #expect(without == 537, "\(withoutBody.json)")
        #expect(withoutBody["errortext"]?.stringValue?.contains("Can't do static nat") == true)

        let (enabled, enabledBody) = await s.cloud.call(
            "enableStaticNat",
            ["ipaddressid": s.ipId, "virtualmachineid": s.vmId]
        )
        #expect(enabled == 200)
        #expect(enabledBody["success"] == .string("true"))
        let (created, job) = await Self.forward(s, ["protocol": "TCP", "startport": "22"])
        #expect(created == 200, "\(job.json)")
        await s.cloud.server.jobs.drain()
        let (_, done) = await s.cloud.call("queryAsyncJobResult", ["jobid": job["jobid"]?.stringValue ?? ""])
        let rule = try #require(done["jobresult"]?["ipforwardingrule"], "\(done.json)")
        #expect(rule["protocol"]?.stringValue == "tcp")
        #expect(rule["startport"] == .int(22) && rule["endport"] == .int(22))
        #expect(rule["virtualmachineid"]?.stringValue == s.vmId)
        #expect(rule["ipaddressid"]?.stringValue == s.ipId)
        #expect(rule["ipaddress"]?.stringValue?.hasPrefix("192.168.100.") == true)
        let ruleId = try #require(rule["id"]?.stringValue)
        // openfirewall (default true) opened the port.
        let (_, firewall) = await s.cloud.call("listFirewallRules", ["ipaddressid": s.ipId])
        #expect(firewall.items.count == 1)

        let (overlap, _) = await Self.forward(s, ["protocol": "tcp", "startport": "20", "endport": "30"])
        #expect(overlap == 537)
        let (cidrs, cidrsBody) = await Self.forward(
            s,
            ["protocol": "udp", "startport": "53", "cidrlist": "10.0.0.0/8"]
        )
        #expect(cidrs == 431)
        #expect(cidrsBody["errortext"]?.stringValue?.contains("deprecated") == true)
        let (icmp, _) = await Self.forward(s, ["protocol": "icmp", "startport": "1"])
        #expect(icmp == 431)
        let udp = try await s.cloud.callAndWait(
            "createIpForwardingRule",
            ["ipaddressid": s.ipId, "protocol": "udp", "startport": "53", "endport": "54", "openfirewall": "false"]
        )
        let udpId = try #require(udp["jobresult"]?["ipforwardingrule"]?["id"]?.stringValue, "\(udp.json)")

        let (_, byAddress) = await s.cloud.call("listIpForwardingRules", ["ipaddressid": s.ipId])
        #expect(byAddress["count"] == .int(2))
        let (_, byVM) = await s.cloud.call("listIpForwardingRules", ["virtualmachineid": s.vmId])
        #expect(byVM.items.count == 2)
        let (_, byId) = await s.cloud.call("listIpForwardingRules", ["id": udpId])
        #expect(byId.items.compactMap { $0["endport"] } == [.int(54)])
        // Each delete command deletes its own kind of rule only.
        let (wrongKind, _) = await s.cloud.call("deleteFirewallRule", ["id": udpId])
        #expect(wrongKind == 431)
        let (wrongKindBack, _) = await s.cloud.call(
            "deleteIpForwardingRule",
            ["id": firewall.items[0]["id"]?.stringValue ?? ""]
        )
        #expect(wrongKindBack == 431)
        let deleted = try await s.cloud.callAndWait("deleteIpForwardingRule", ["id": udpId])
        #expect(deleted["jobresult"]?["success"] == .bool(true), "\(deleted.json)")
        let (_, remaining) = await s.cloud.call("listIpForwardingRules")
        #expect(remaining.items.compactMap { $0["id"]?.stringValue } == [ruleId])

        let disabled = try await s.cloud.callAndWait("disableStaticNat", ["ipaddressid": s.ipId])
        #expect(disabled["jobstatus"]?.int == 1)
        // The address's rules went with static NAT; an empty list is `{}`, as Libcloud expects.
        let (_, afterRules) = await s.cloud.call("listIpForwardingRules")
        #expect(afterRules == .object([]))
        let (_, afterFirewall) = await s.cloud.call("listFirewallRules", ["ipaddressid": s.ipId])
        #expect(afterFirewall.items.isEmpty)
        let (again, _) = await Self.forward(s, ["protocol": "tcp", "startport": "22"])
        #expect(again == 537)

        let (_, events) = await s.cloud.call("listEvents", ["type": "NET.RULEADD"])
        #expect(events.items.contains { $0["description"]?.stringValue?.contains("static nat") == true })
        let (_, staticNatEvents) = await s.cloud.call("listEvents", ["type": "STATICNAT.DISABLE"])
        #expect(!staticNatEvents.items.isEmpty)
    }

    @Test func anAddressBelongsToStaticNatOrToPortForwardingAndLoadBalancing() async throws {
        let s = try await PublicIPAndRuleTests.setup()
        let forwarding = try await s.cloud.callAndWait(
            "createPortForwardingRule",
            [
                "ipaddressid": s.ipId, "privateport": "22", "publicport": "2222", "protocol": "tcp",
                "virtualmachineid": s.vmId,
            ]
        )
        let forwardingId = try #require(forwarding["jobresult"]?["portforwardingrule"]?["id"]?.stringValue)
        let (refused, refusedBody) = await s.cloud.call(
            "enableStaticNat",
            ["ipaddressid": s.ipId, "virtualmachineid": s.vmId]
        )
        #expect(refused == 537, "\(refusedBody.json)")
        _ = try await s.cloud.callAndWait("deletePortForwardingRule", ["id": forwardingId])
        // The firewall rule the forwarding opened stays, and does not stand in static NAT's way.
        let (enabled, _) = await s.cloud.call("enableStaticNat", ["ipaddressid": s.ipId, "virtualmachineid": s.vmId])
        #expect(enabled == 200)
        _ = try await s.cloud.callAndWait(
            "createIpForwardingRule",
            ["ipaddressid": s.ipId, "protocol": "tcp", "startport": "80"]
        )
        let (pf, _) = await s.cloud.call(
            "createPortForwardingRule",
            [
                "ipaddressid": s.ipId, "privateport": "22", "publicport": "2200", "protocol": "tcp",
                "virtualmachineid": s.vmId,
            ]
        )
        #expect(pf == 537)
        let (lb, _) = await s.cloud.call(
            "createLoadBalancerRule",
            ["publicipid": s.ipId, "name": "lb", "algorithm": "roundrobin", "privateport": "22", "publicport": "2200"]
        )
        #expect(lb == 537)
        // Releasing the address takes its static NAT rules too.
        let released = try await s.cloud.callAndWait("disassociateIpAddress", ["id": s.ipId])
        #expect(released["jobstatus"]?.int == 1)
        let (_, after) = await s.cloud.call("listIpForwardingRules")
        #expect(after.items.isEmpty)
    }

    @Test func aFreshCloudHasCloudStacksDiskOfferingsAndWritesSyncSuccessAsAString() async throws {
        let cloud = try await TestCloud.make()
        let (_, listed) = await cloud.call("listDiskOfferings")
        #expect(listed.items.compactMap { $0["name"]?.stringValue } == ["Small", "Medium", "Large", "Custom"])
        #expect(
            listed.items.compactMap { $0["iscustomized"] } == [.bool(false), .bool(false), .bool(false), .bool(true)]
        )
        #expect(try await DiskOfferingSeeder.ensure(store: cloud.server.core.store) == 0)
        let zone = try await cloud.first("listZones", "zone")
        let custom = try await cloud.first("listDiskOfferings", "diskoffering", ["name": "Custom"])
        let volume = try await cloud.callAndWait(
            "createVolume",
            [
                "name": "ten", "zoneid": zone["id"]?.stringValue ?? "",
                "diskofferingid": custom["id"]?.stringValue ?? "", "size": "10",
            ]
        )
        #expect(volume["jobresult"]?["volume"]?["size"] == .int(10 << 30), "\(volume.json)")

        _ = await cloud.call("createSSHKeyPair", ["name": "k"])
        let (status, deleted) = await cloud.call("deleteSSHKeyPair", ["name": "k"])
        #expect(status == 200)
        #expect(deleted == .object([("success", .string("true"))]))
    }
}
