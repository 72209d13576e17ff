import CloudAPI
import CloudModel
import Testing

@Suite("Updating firewall, port forwarding and load balancer rules")
struct RuleUpdateTests {
    @Test func updatesChangeDisplayAndTheLoadBalancersNameDescriptionAndAlgorithm() async throws {
        let s = try await PublicIPAndRuleTests.setup()
        let cloud = s.cloud
        let lb = try await cloud.callAndWait(
            "createLoadBalancerRule",
            ["publicipid": s.ipId, "name": "web", "algorithm": "roundrobin", "privateport": "80", "publicport": "80"]
        )
        let lbId = try #require(lb["jobresult"]?["loadbalancer"]?["id"]?.stringValue)
        let updated = try await cloud.callAndWait(
            "updateLoadBalancerRule",
            ["id": lbId, "name": "front", "description": "the front", "algorithm": "LeastConn", "fordisplay": "false"]
        )
        let rule = try #require(updated["jobresult"]?["loadbalancer"])
        #expect(rule["name"]?.stringValue == "front")
        #expect(rule["description"]?.stringValue == "the front")
        #expect(rule["algorithm"]?.stringValue == "leastconn")
        #expect(rule["fordisplay"] == .bool(false))
        let listed = try await cloud.first("listLoadBalancerRules", "loadbalancerrule", ["id": lbId])
        #expect(listed["name"]?.stringValue == "front")
        let (badAlgorithm, _) = await cloud.call("updateLoadBalancerRule", ["id": lbId, "algorithm": "random"])
        #expect(badAlgorithm == 431)
        let (missing, missingBody) = await cloud.call("updateLoadBalancerRule")
        #expect(missing == 431)
        #expect(missingBody["errortext"]?.stringValue?.contains("id") == true)

        let firewall = try await cloud.callAndWait(
            "createFirewallRule",
            ["ipaddressid": s.ipId, "protocol": "tcp", "startport": "443", "cidrlist": "0.0.0.0/0"]
        )
        let firewallId = try #require(firewall["jobresult"]?["firewallrule"]?["id"]?.stringValue)
        let hidden = try await cloud.callAndWait("updateFirewallRule", ["id": firewallId, "fordisplay": "false"])
        #expect(hidden["jobresult"]?["firewallrule"]?["fordisplay"] == .bool(false))
        let (notEgress, _) = await cloud.call("updateEgressFirewallRule", ["id": firewallId])
        #expect(notEgress == 431)
        let (notForwarding, _) = await cloud.call("updatePortForwardingRule", ["id": firewallId])
        #expect(notForwarding == 431)

        let forwarding = try await cloud.callAndWait(
            "createPortForwardingRule",
            [
                "ipaddressid": s.ipId, "privateport": "22", "publicport": "2222", "protocol": "tcp",
                "virtualmachineid": s.vmId,
            ]
        )
        let forwardingId = try #require(forwarding["jobresult"]?["portforwardingrule"]?["id"]?.stringValue)
        let shown = try await cloud.callAndWait("updatePortForwardingRule", ["id": forwardingId, "fordisplay": "true"])
        #expect(shown["jobresult"]?["portforwardingrule"]?["fordisplay"] == .bool(true))
        let (_, events) = await cloud.call("listEvents", ["type": "LB.UPDATE"])
        #expect(events.items.contains { $0["state"]?.stringValue == "Completed" && $0["level"]?.stringValue == "INFO" })
    }
}
