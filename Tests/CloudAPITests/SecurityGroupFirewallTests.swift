import CloudAPI
import CloudCore
import CloudModel
import CloudStore
import Foundation
import Testing

/// What a host is told to enforce for a NIC (``SecurityGroupFirewalls``): the rules of the VM's groups, a
/// group-to-group rule resolved to the addresses of that group's running VMs, nothing on a network without
/// security groups, and which running VMs a group's change concerns.
@Suite("Security-group firewalls of NICs")
struct SecurityGroupFirewallTests {
    @Test func groupRulesResolveToTheRunningMembersAddresses() async throws {
        let cloud = try await TestCloud.make()
        let zone = try await cloud.first("listZones", "zone")
        let offering = try await cloud.first(
            "listNetworkOfferings",
            "networkoffering",
            ["name": "DefaultSharedNetworkOfferingWithSGService"]
        )
        let (status, created) = await cloud.call(
            "createNetwork",
            [
                "name": "sg", "displaytext": "sg", "zoneid": zone["id"]?.stringValue ?? "",
                "networkofferingid": offering["id"]?.stringValue ?? "", "gateway": "198.18.3.1",
                "netmask": "255.255.255.0", "startip": "198.18.3.10", "endip": "198.18.3.49",
            ]
        )
        #expect(status == 200, "\(created.json)")
        let networkId = try #require(created["network"]?["id"]?.stringValue)
        var groups: [String: String] = [:]
        for name in ["server", "client"] {
            let (_, group) = await cloud.call("createSecurityGroup", ["name": name])
            groups[name] = try #require(group["securitygroup"]?["id"]?.stringValue)
        }
        func deploy(_ group: String, network: String?) async throws -> (id: String, ip: String) {
            var extra = ["securitygroupids": groups[group] ?? ""]
            if let network { extra["networkids"] = network }
            let vm = try await cloud.deploy(extra: extra)["jobresult"]?["virtualmachine"]
            guard case .array(let nics)? = vm?["nic"] else { throw CancellationError() }
            return (
                try #require(vm?["id"]?.stringValue, "\(vm?.json ?? "")"),
                try #require(nics.first?["ipaddress"]?.stringValue)
            )
        }
        let server = try await deploy("server", network: networkId)
        let client = try await deploy("client", network: networkId)
        let elsewhere = try await deploy("client", network: nil)
        _ = try await cloud.callAndWait(
            "authorizeSecurityGroupIngress",
            [
                "securitygroupid": groups["server"] ?? "", "protocol": "icmp", "icmptype": "-1", "icmpcode": "-1",
                "usersecuritygrouplist[0].account": "admin", "usersecuritygrouplist[0].group": "client",
            ]
        )
        _ = try await cloud.callAndWait(
            "authorizeSecurityGroupIngress",
            [
                "securitygroupid": groups["server"] ?? "", "protocol": "tcp", "startport": "22", "endport": "22",
                "cidrlist": "198.18.0.0/15",
            ]
        )
        _ = try await cloud.callAndWait(
            "authorizeSecurityGroupEgress",
            [
                "securitygroupid": groups["client"] ?? "", "protocol": "udp", "startport": "53", "endport": "53",
                "cidrlist": "198.18.3.1/32",
            ]
        )
        let firewalls = SecurityGroupFirewalls(store: cloud.server.core.store)
        let serverRules = try #require(try await firewalls.firewall(vmId: server.id, networkId: networkId))
        let icmp = serverRules.ingress.first { $0.protocolName == "icmp" }
        // The client group's VMs on any network: the one of the default network too.
        #expect(Set(icmp?.cidrs ?? []) == ["\(client.ip)/32", "\(elsewhere.ip)/32"])
        #expect(serverRules.ingress.first { $0.protocolName == "tcp" }?.cidrs == ["198.18.0.0/15"])
        #expect(serverRules.egress.isEmpty)
        let clientRules = try #require(try await firewalls.firewall(vmId: client.id, networkId: networkId))
        #expect(clientRules.ingress.isEmpty)
        #expect(clientRules.egress.map(\.cidrs) == [["198.18.3.1/32"]])
        // The default network has no SecurityGroup service: nothing is filtered there.
        let defaultNetwork = try #require(
            try await cloud.server.core.store.list(Nic.self, ListQuery(equals: [("vm_id", elsewhere.id)])).items
                .first?.networkId
        )
        #expect(try await firewalls.firewall(vmId: elsewhere.id, networkId: defaultNetwork) == nil)
        // A change of the client group concerns its members and the server, whose rule names it.
        let dependents = try await firewalls.dependents(ofGroups: [groups["client"] ?? ""]).map(\.id)
        #expect(Set(dependents) == [server.id, client.id, elsewhere.id])

        _ = try await cloud.callAndWait("stopVirtualMachine", ["id": client.id])
        _ = try await cloud.callAndWait("stopVirtualMachine", ["id": elsewhere.id])
        let afterStop = try #require(try await firewalls.firewall(vmId: server.id, networkId: networkId))
        #expect(!afterStop.ingress.contains { $0.protocolName == "icmp" }, "a group with no running VM admits no one")
        #expect(try await firewalls.dependents(ofGroups: [groups["client"] ?? ""]).map(\.id) == [server.id])
    }
}
