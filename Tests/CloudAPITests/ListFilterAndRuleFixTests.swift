import CloudAPI
import CloudModel
import Foundation
import Testing

/// What Ansible's CloudStack collection tripped on (issue 16): names compared without case, the `networkid` filter
/// of VMs, egress rules to anywhere, and authorize answers naming only the rules added.
@Suite("List filters and rule answers as CloudStack's")
struct ListFilterAndRuleFixTests {
    @Test func nameFiltersIgnoreCaseAsCloudStackSQLDoes() async throws {
        let cloud = try await TestCloud.make()
        let cluster = try await cloud.first("listClusters", "cluster", ["name": "c0"])
        #expect(cluster["name"]?.stringValue == "C0")
        let zone = try await cloud.first("listZones", "zone", ["name": "SANDBOX-simulator"])
        #expect(zone["name"]?.stringValue == "Sandbox-simulator")
        let domain = try await cloud.first("listDomains", "domain", ["name": "root"])
        #expect(domain["name"]?.stringValue == "ROOT")
        let (_, none) = await cloud.call("listClusters", ["name": "c"])
        #expect(none.items.isEmpty)
    }

    @Test func virtualMachinesFilterByNetwork() async throws {
        let cloud = try await TestCloud.make()
        let networkId = try await NetworkCommandTests.isolated(cloud, name: "filtered")
        let onNetwork = try await cloud.deploy(extra: ["networkids": networkId])
        let vmId = try #require(onNetwork["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        _ = try await cloud.deploy()
        let (_, all) = await cloud.call("listVirtualMachines")
        #expect(all.items.count == 2)
        let (_, filtered) = await cloud.call("listVirtualMachines", ["networkid": networkId])
        #expect(filtered.items.compactMap { $0["id"]?.stringValue } == [vmId])
        let (_, both) = await cloud.call("listVirtualMachines", ["networkid": networkId, "ids": "\(vmId)"])
        #expect(both.items.count == 1)
        let (unknown, body) = await cloud.call("listVirtualMachines", ["networkid": UUID().uuidString])
        #expect(unknown == 431)
        #expect(body["errortext"]?.stringValue?.contains("networkid") == true)
    }

    @Test func addNicTakesTheAddressAskedFor() async throws {
        let cloud = try await TestCloud.make()
        let id = try await NetworkCommandTests.isolated(cloud, name: "asked")
        let network = try await cloud.first("listNetworks", "network", ["id": id])
        let gateway = try #require(network["gateway"]?.stringValue)
        let wanted = gateway.split(separator: ".").dropLast().joined(separator: ".") + ".77"
        let first = try await cloud.deploy()
        let firstId = try #require(first["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        let second = try await cloud.deploy()
        let secondId = try #require(second["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        let added = try await cloud.callAndWait(
            "addNicToVirtualMachine",
            ["virtualmachineid": firstId, "networkid": id, "ipaddress": wanted]
        )
        #expect(added["jobstatus"]?.int == 1, "\(added.json)")
        let nic = try await cloud.first("listNics", "nic", ["virtualmachineid": firstId, "networkid": id])
        #expect(nic["ipaddress"]?.stringValue == wanted)
        let taken = try await cloud.callAndWait(
            "addNicToVirtualMachine",
            ["virtualmachineid": secondId, "networkid": id, "ipaddress": wanted]
        )
        #expect(taken["jobresult"]?["errorcode"]?.int == 533)
        for bad in ["203.0.113.9", "10.1.1"] {
            let (status, body) = await cloud.call(
                "addNicToVirtualMachine",
                ["virtualmachineid": secondId, "networkid": id, "ipaddress": bad]
            )
            #expect(status == 431, "\(bad)")
            #expect(body["errortext"]?.stringValue?.contains("ipaddress") == true, "\(body.json)")
        }
    }

    @Test func egressRulesMayOpenToAnySourceButNotToAnotherNetworks() async throws {
        let cloud = try await TestCloud.make()
        let networkId = try await NetworkCommandTests.isolated(cloud, name: "egress")
        let open = try await cloud.callAndWait(
            "createEgressFirewallRule",
            ["networkid": networkId, "protocol": "tcp", "startport": "443", "cidrlist": "0.0.0.0/0"]
        )
        #expect(open["jobstatus"]?.int == 1, "\(open.json)")
        #expect(open["jobresult"]?["firewallrule"]?["cidrlist"]?.stringValue == "0.0.0.0/0")
        let (foreign, _) = await cloud.call(
            "createEgressFirewallRule",
            ["networkid": networkId, "protocol": "tcp", "startport": "80", "cidrlist": "203.0.113.0/24"]
        )
        #expect(foreign == 431)
    }

    @Test func authorizeAnswersWithOnlyTheRulesItAdded() async throws {
        let cloud = try await TestCloud.make()
        let (_, created) = await cloud.call("createSecurityGroup", ["name": "answers"])
        let groupId = try #require(created["securitygroup"]?["id"]?.stringValue)
        _ = try await cloud.callAndWait(
            "authorizeSecurityGroupIngress",
            ["securitygroupid": groupId, "protocol": "tcp", "startport": "22", "endport": "22"]
        )
        let second = try await cloud.callAndWait(
            "authorizeSecurityGroupIngress",
            [
                "securitygroupid": groupId, "protocol": "tcp", "startport": "80", "endport": "80",
                "cidrlist": "10.0.0.0/8",
            ]
        )
        guard case .array(let added)? = second["jobresult"]?["securitygroup"]?["ingressrule"] else {
            Issue.record("no ingress rules: \(second.json)")
            return
        }
        #expect(added.count == 1)
        #expect(added.first?["startport"]?.int == 80)
        #expect(second["jobresult"]?["securitygroup"]?["id"]?.stringValue == groupId)
        let egress = try await cloud.callAndWait(
            "authorizeSecurityGroupEgress",
            ["securitygroupid": groupId, "protocol": "udp", "startport": "53", "endport": "53"]
        )
        guard case .array(let egressAdded)? = egress["jobresult"]?["securitygroup"]?["egressrule"],
            case .array(let ingressShown)? = egress["jobresult"]?["securitygroup"]?["ingressrule"]
        else {
            Issue.record("no rules: \(egress.json)")
            return
        }
        #expect(egressAdded.count == 1)
        #expect(ingressShown.isEmpty)
        let listed = try await cloud.first("listSecurityGroups", "securitygroup", ["id": groupId])
        guard case .array(let ingress)? = listed["ingressrule"] else {
            Issue.record("no ingress rules listed: \(listed.json)")
            return
        }
        #expect(ingress.count == 2)
    }
}
