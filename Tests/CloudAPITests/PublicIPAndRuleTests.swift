import CloudAPI
import CloudModel
import CloudStore
import Testing

@Suite("Public IPs and network rules")
struct PublicIPAndRuleTests {
    /// A network with a VM on it and a new public IP on the network.
    struct Setup {
        let cloud: TestCloud
        let networkId: String
        let vmId: String
        let ipId: String
    }

    static func setup() async throws -> Setup {
        let cloud = try await TestCloud.make()
        let networkId = try await NetworkCommandTests.isolated(cloud, name: "pub")
        let deployed = try await cloud.deploy(extra: ["networkids": networkId])
        let vmId = try #require(deployed["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        let associated = try await cloud.callAndWait("associateIpAddress", ["networkid": networkId])
        let ip = try #require(associated["jobresult"]?["ipaddress"])
        #expect(ip["issourcenat"] == .bool(false))
        #expect(ip["ipaddress"]?.stringValue?.hasPrefix("192.168.100.") == true)
        return Setup(cloud: cloud, networkId: networkId, vmId: vmId, ipId: try #require(ip["id"]?.stringValue))
    }

    @Test func associateNeverHandsOutAnAddressTwice() async throws {
        let cloud = try await TestCloud.make()
        let networkId = try await NetworkCommandTests.isolated(cloud, name: "many")
        var addresses: [String] = []
        for _ in 0..<5 {
            let job = try await cloud.callAndWait("associateIpAddress", ["networkid": networkId])
            addresses += [job["jobresult"]?["ipaddress"]?["ipaddress"]?.stringValue].compactMap { $0 }
        }
        #expect(Set(addresses).count == 5)
        let (_, listed) = await cloud.call("listPublicIpAddresses", ["associatednetworkid": networkId])
        #expect(listed.items.count == 6)
    }

    @Test func portForwardingConflictsAndCascadeOnRelease() async throws {
        let s = try await Self.setup()
        let rule = try await s.cloud.callAndWait(
            "createPortForwardingRule",
            [
                "ipaddressid": s.ipId, "privateport": "22", "publicport": "2222", "protocol": "tcp",
                "virtualmachineid": s.vmId,
            ]
        )
        #expect(rule["jobstatus"]?.int == 1, "\(rule.json)")
        #expect(rule["jobresult"]?["portforwardingrule"]?["vmguestip"]?.stringValue?.isEmpty == false)
        // openfirewall (default true) opened the public port.
        let (_, firewall) = await s.cloud.call("listFirewallRules", ["ipaddressid": s.ipId])
        #expect(firewall.items.count == 1)
        let (conflict, body) = await s.cloud.call(
            "createPortForwardingRule",
            [
                "ipaddressid": s.ipId, "privateport": "80", "privateendport": "90", "publicport": "2220",
                "publicendport": "2230", "protocol": "tcp", "virtualmachineid": s.vmId,
            ]
        )
        #expect(conflict == 537, "\(body.json)")
        let (lbConflict, _) = await s.cloud.call(
            "createLoadBalancerRule",
            ["publicipid": s.ipId, "name": "lb", "algorithm": "roundrobin", "privateport": "22", "publicport": "2222"]
        )
        #expect(lbConflict == 537)
        let (badRange, _) = await s.cloud.call(
            "createPortForwardingRule",
            [
                "ipaddressid": s.ipId, "privateport": "30", "privateendport": "20", "publicport": "3000",
                "protocol": "tcp", "virtualmachineid": s.vmId,
            ]
        )
        #expect(badRange == 431)
        // The source NAT address can't be released; this one can, and its rules go with it.
        let (_, sourceNat) = await s.cloud.call(
            "listPublicIpAddresses",
            ["associatednetworkid": s.networkId, "issourcenat": "true"]
        )
        let sourceNatId = try #require(sourceNat.items.first?["id"]?.stringValue)
        let (refused, _) = await s.cloud.call("disassociateIpAddress", ["id": sourceNatId])
        #expect(refused == 431)
        let released = try await s.cloud.callAndWait("disassociateIpAddress", ["id": s.ipId])
        #expect(released["jobstatus"]?.int == 1)
        let (_, rules) = await s.cloud.call("listPortForwardingRules", ["listall": "true"])
        #expect(rules.items.isEmpty)
        let (_, fw) = await s.cloud.call("listFirewallRules", ["listall": "true"])
        #expect(fw.items.isEmpty)
    }

    @Test func portForwardingNeedsANicInTheNetwork() async throws {
        let s = try await Self.setup()
        let other = try await s.cloud.deploy()
        let otherId = try #require(other["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        let (status, body) = await s.cloud.call(
            "createPortForwardingRule",
            [
                "ipaddressid": s.ipId, "privateport": "22", "publicport": "22", "protocol": "tcp",
                "virtualmachineid": otherId,
            ]
        )
        #expect(status == 431)
        #expect(body["errortext"]?.stringValue?.contains("NIC") == true)
    }

    @Test func loadBalancerMembers() async throws {
        let s = try await Self.setup()
        let second = try await s.cloud.deploy(extra: ["networkids": s.networkId])
        let secondId = try #require(second["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        let created = try await s.cloud.callAndWait(
            "createLoadBalancerRule",
            ["publicipid": s.ipId, "name": "web", "algorithm": "roundrobin", "privateport": "80", "publicport": "80"]
        )
        let ruleId = try #require(created["jobresult"]?["loadbalancer"]?["id"]?.stringValue)
        #expect(created["jobresult"]?["loadbalancer"]?["algorithm"]?.stringValue == "roundrobin")
        let (badAlgorithm, _) = await s.cloud.call(
            "createLoadBalancerRule",
            ["publicipid": s.ipId, "name": "x", "algorithm": "fastest", "privateport": "81", "publicport": "81"]
        )
        #expect(badAlgorithm == 431)
        let assigned = try await s.cloud.callAndWait(
            "assignToLoadBalancerRule",
            ["id": ruleId, "virtualmachineids": "\(s.vmId),\(secondId)"]
        )
        #expect(assigned["jobstatus"]?.int == 1, "\(assigned.json)")
        let (_, members) = await s.cloud.call("listLoadBalancerRuleInstances", ["id": ruleId])
        #expect(Set(members.items.compactMap { $0["id"]?.stringValue }) == [s.vmId, secondId])
        let removed = try await s.cloud.callAndWait(
            "removeFromLoadBalancerRule",
            ["id": ruleId, "virtualmachineids": secondId]
        )
        #expect(removed["jobstatus"]?.int == 1)
        let (_, left) = await s.cloud.call("listLoadBalancerRuleInstances", ["id": ruleId])
        #expect(left.items.compactMap { $0["id"]?.stringValue } == [s.vmId])
        // Expunging a member takes it off the rule.
        _ = try await s.cloud.callAndWait("destroyVirtualMachine", ["id": s.vmId, "expunge": "true"])
        let (_, none) = await s.cloud.call("listLoadBalancerRuleInstances", ["id": ruleId])
        #expect(none.items.isEmpty)
        let deleted = try await s.cloud.callAndWait("deleteLoadBalancerRule", ["id": ruleId])
        #expect(deleted["jobstatus"]?.int == 1)
    }

    @Test func staticNatAndFirewallAndEgress() async throws {
        let s = try await Self.setup()
        let (enabled, body) = await s.cloud.call(
            "enableStaticNat",
            ["ipaddressid": s.ipId, "virtualmachineid": s.vmId]
        )
        #expect(enabled == 200, "\(body.json)")
        let ip = try await s.cloud.first("listPublicIpAddresses", "publicipaddress", ["id": s.ipId])
        #expect(ip["isstaticnat"] == .bool(true))
        #expect(ip["virtualmachineid"]?.stringValue == s.vmId)
        let (pf, _) = await s.cloud.call(
            "createPortForwardingRule",
            [
                "ipaddressid": s.ipId, "privateport": "22", "publicport": "22", "protocol": "tcp",
                "virtualmachineid": s.vmId,
            ]
        )
        #expect(pf == 537)
        let firewall = try await s.cloud.callAndWait(
            "createFirewallRule",
            ["ipaddressid": s.ipId, "protocol": "tcp", "startport": "22", "endport": "22", "cidrlist": "10.0.0.0/8"]
        )
        #expect(firewall["jobresult"]?["firewallrule"]?["cidrlist"]?.stringValue == "10.0.0.0/8")
        let (dup, _) = await s.cloud.call(
            "createFirewallRule",
            ["ipaddressid": s.ipId, "protocol": "tcp", "startport": "20", "endport": "30", "cidrlist": "10.0.0.0/8"]
        )
        #expect(dup == 537)
        let (badCidr, _) = await s.cloud.call(
            "createFirewallRule",
            ["ipaddressid": s.ipId, "protocol": "tcp", "startport": "40", "cidrlist": "10.0.0/8"]
        )
        #expect(badCidr == 431)
        let disabled = try await s.cloud.callAndWait("disableStaticNat", ["ipaddressid": s.ipId])
        #expect(disabled["jobstatus"]?.int == 1)
        let egress = try await s.cloud.callAndWait(
            "createEgressFirewallRule",
            ["networkid": s.networkId, "protocol": "udp", "startport": "53"]
        )
        #expect(egress["jobstatus"]?.int == 1, "\(egress.json)")
        let (_, egressRules) = await s.cloud.call("listEgressFirewallRules", ["networkid": s.networkId])
        #expect(egressRules.items.count == 1)
        // disableStaticNat revoked the address's firewall rules, as CloudStack's does.
        let (_, ingress) = await s.cloud.call("listFirewallRules", ["networkid": s.networkId])
        #expect(ingress.items.isEmpty)
    }

    @Test func deletingAnAccountReturnsItsAddressesAndRemovesItsNetworks() async throws {
        let cloud = try await TestCloud.make()
        let keys = try await cloud.makeUser("leaver")
        let networkId = try await NetworkCommandTests.isolated(cloud, name: "leaver-net", keys: keys)
        _ = try await cloud.callAndWait("associateIpAddress", ["networkid": networkId], keys: keys)
        _ = await cloud.call("createSSHKeyPair", ["name": "k"], keys: keys)
        let (_, free) = await cloud.call("listPublicIpAddresses", ["allocatedonly": "false", "state": "Free"])
        let freeBefore = try #require(free["count"]?.int)
        // allocatedonly is true by default, for a root admin's listall too: the free pool stays out (issue 16).
        let (_, everyone) = await cloud.call("listPublicIpAddresses", ["listall": "true"])
        #expect(!everyone.items.isEmpty)
        #expect(everyone.items.allSatisfy { $0["state"]?.stringValue != "Free" }, "\(everyone.json)")
        let account = try await cloud.first("listAccounts", "account", ["name": "leaver"])
        let deleted = try await cloud.callAndWait("deleteAccount", ["id": account["id"]?.stringValue ?? ""])
        #expect(deleted["jobstatus"]?.int == 1, "\(deleted.json)")
        let (_, freeAfter) = await cloud.call("listPublicIpAddresses", ["allocatedonly": "false", "state": "Free"])
        #expect(freeAfter["count"]?.int == freeBefore + 2)
        let (_, networks) = await cloud.call("listNetworks", ["id": networkId])
        #expect(networks.items.isEmpty)
    }

    @Test func othersCannotTouchMyAddress() async throws {
        let s = try await Self.setup()
        let mallory = try await s.cloud.makeUser("mallory")
        let (status, _) = await s.cloud.call("disassociateIpAddress", ["id": s.ipId], keys: mallory)
        #expect(status == 531)
        let (_, listed) = await s.cloud.call("listPublicIpAddresses", keys: mallory)
        #expect(listed.items.isEmpty)
    }
}
