import CloudAPI
import CloudModel
import CloudStore
import Foundation
import Testing

@Suite("SSH key pairs, security and affinity groups")
struct KeyPairAndGroupTests {
    @Test func createdKeyPairsHaveARealPrivateKeyAndFingerprint() async throws {
        let cloud = try await TestCloud.make()
        let (status, body) = await cloud.call("createSSHKeyPair", ["name": "k1"])
        #expect(status == 200)
        let pair = try #require(body["keypair"])
        let pem = try #require(pair["privatekey"]?.stringValue)
        #expect(pem.contains("BEGIN") && pem.contains("PRIVATE KEY"))
        let fingerprint = try #require(pair["fingerprint"]?.stringValue)
        #expect(fingerprint.split(separator: ":").count == 16)
        let (duplicate, _) = await cloud.call("createSSHKeyPair", ["name": "k1"])
        #expect(duplicate == 431)
        let listed = try await cloud.first("listSSHKeyPairs", "sshkeypair", ["name": "k1"])
        #expect(listed["fingerprint"]?.stringValue == fingerprint)
        #expect(listed["privatekey"] == nil)
    }

    @Test func registerChecksThePublicKey() async throws {
        let cloud = try await TestCloud.make()
        // An Ed25519 key: type string then a 32-byte key.
        var blob = Data([0, 0, 0, 11]) + Data("ssh-ed25519".utf8) + Data([0, 0, 0, 32])
        blob += Data((0..<32).map { UInt8($0) })
        let key = "ssh-ed25519 \(blob.base64EncodedString()) me@host"
        let (status, body) = await cloud.call("registerSSHKeyPair", ["name": "ed", "publickey": key])
        #expect(status == 200, "\(body.json)")
        #expect(body["keypair"]?["fingerprint"]?.stringValue?.count == 47)
        for garbage in ["ssh-rsa notbase64!!", "hello world", "ssh-rsa \(blob.base64EncodedString())"] {
            let (refused, _) = await cloud.call("registerSSHKeyPair", ["name": "bad", "publickey": garbage])
            #expect(refused == 431, "\(garbage)")
        }
        let (deleted, _) = await cloud.call("deleteSSHKeyPair", ["name": "ed"])
        #expect(deleted == 200)
        let (_, left) = await cloud.call("listSSHKeyPairs")
        #expect(left.items.isEmpty)
    }

    @Test func deployWithKeyPairAndResetNeedsAStoppedVM() async throws {
        let cloud = try await TestCloud.make()
        _ = await cloud.call("createSSHKeyPair", ["name": "a"])
        _ = await cloud.call("createSSHKeyPair", ["name": "b"])
        let deployed = try await cloud.deploy(extra: ["keypair": "a", "userdata": "aGVsbG8="])
        let vm = try #require(deployed["jobresult"]?["virtualmachine"])
        #expect(vm["keypairs"]?.stringValue == "a")
        let vmId = try #require(vm["id"]?.stringValue)
        let (_, userData) = await cloud.call("getVirtualMachineUserData", ["virtualmachineid": vmId])
        #expect(userData["virtualmachineuserdata"]?["userdata"]?.stringValue == "aGVsbG8=")
        let (running, _) = await cloud.call("resetSSHKeyForVirtualMachine", ["id": vmId, "keypair": "b"])
        #expect(running == 431)
        _ = try await cloud.callAndWait("stopVirtualMachine", ["id": vmId])
        let reset = try await cloud.callAndWait("resetSSHKeyForVirtualMachine", ["id": vmId, "keypair": "b"])
        #expect(reset["jobresult"]?["virtualmachine"]?["keypairs"]?.stringValue == "b")
        let (unknown, _) = await cloud.call("resetSSHKeyForVirtualMachine", ["id": vmId, "keypair": "zzz"])
        #expect(unknown == 431)
        let zone = try await cloud.first("listZones", "zone")
        let template = try await cloud.first("listTemplates", "template", ["templatefilter": "featured"])
        let small = try await cloud.first("listServiceOfferings", "serviceoffering", ["name": "Small Instance"])
        let (badUserData, badBody) = await cloud.call(
            "deployVirtualMachine",
            [
                "zoneid": zone["id"]?.stringValue ?? "", "templateid": template["id"]?.stringValue ?? "",
                "serviceofferingid": small["id"]?.stringValue ?? "", "userdata": "***",
            ]
        )
        #expect(badUserData == 431)
        #expect(badBody["errortext"]?.stringValue?.contains("base64") == true)
    }

    @Test func securityGroupsRulesAndDeleteWhileInUse() async throws {
        let cloud = try await TestCloud.make()
        let (_, defaults) = await cloud.call("listSecurityGroups")
        #expect(defaults.items.compactMap { $0["name"]?.stringValue } == ["default"])
        let (status, created) = await cloud.call("createSecurityGroup", ["name": "web", "description": "Web"])
        #expect(status == 200)
        let groupId = try #require(created["securitygroup"]?["id"]?.stringValue)
        let (duplicate, _) = await cloud.call("createSecurityGroup", ["name": "web"])
        #expect(duplicate == 431)
        let authorized = try await cloud.callAndWait(
            "authorizeSecurityGroupIngress",
            [
                "securitygroupid": groupId, "protocol": "tcp", "startport": "80", "endport": "80",
                "cidrlist": "0.0.0.0/0,10.0.0.0/8",
            ]
        )
        guard case .array(let ingress)? = authorized["jobresult"]?["securitygroup"]?["ingressrule"] else {
            Issue.record("no ingress rules: \(authorized.json)")
            return
        }
        #expect(ingress.count == 2)
        let (again, _) = await cloud.call(
            "authorizeSecurityGroupIngress",
            [
                "securitygroupid": groupId, "protocol": "tcp", "startport": "80", "endport": "80",
                "cidrlist": "0.0.0.0/0",
            ]
        )
        #expect(again == 537)
        let egress = try await cloud.callAndWait(
            "authorizeSecurityGroupEgress",
            ["securitygroupname": "web", "protocol": "icmp", "icmptype": "-1", "icmpcode": "-1"]
        )
        #expect(egress["jobstatus"]?.int == 1, "\(egress.json)")
        let (badPorts, _) = await cloud.call(
            "authorizeSecurityGroupIngress",
            ["securitygroupid": groupId, "protocol": "tcp", "startport": "90", "endport": "80"]
        )
        #expect(badPorts == 431)
        let ruleId = try #require(ingress.first?["ruleid"]?.stringValue)
        let revoked = try await cloud.callAndWait("revokeSecurityGroupIngress", ["id": ruleId])
        #expect(revoked["jobstatus"]?.int == 1)
        let deployed = try await cloud.deploy(extra: ["securitygroupids": groupId])
        guard case .array(let groups)? = deployed["jobresult"]?["virtualmachine"]?["securitygroup"] else {
            Issue.record("no groups: \(deployed.json)")
            return
        }
        #expect(groups.compactMap { $0["name"]?.stringValue } == ["web"])
        let (inUse, _) = await cloud.call("deleteSecurityGroup", ["id": groupId])
        #expect(inUse == 536)
        let (defaultGroup, _) = await cloud.call("deleteSecurityGroup", ["name": "default"])
        #expect(defaultGroup == 431)
        let vmId = try #require(deployed["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        _ = try await cloud.callAndWait("destroyVirtualMachine", ["id": vmId, "expunge": "true"])
        let (freed, _) = await cloud.call("deleteSecurityGroup", ["id": groupId])
        #expect(freed == 200)
    }

    @Test func antiAffinityKeepsVMsApartAndAffinityTogether() async throws {
        let cloud = try await TestCloud.make()
        let (_, types) = await cloud.call("listAffinityGroupTypes")
        #expect(types.items.count == 2)
        let anti = try await cloud.callAndWait("createAffinityGroup", ["name": "apart", "type": "host anti-affinity"])
        let antiId = try #require(anti["jobresult"]?["affinitygroup"]?["id"]?.stringValue)
        let (badType, _) = await cloud.call("createAffinityGroup", ["name": "x", "type": "rack affinity"])
        #expect(badType == 431)
        var hosts: [String] = []
        for _ in 0..<4 {
            let job = try await cloud.deploy(extra: ["affinitygroupids": antiId])
            hosts += [job["jobresult"]?["virtualmachine"]?["hostid"]?.stringValue].compactMap { $0 }
        }
        #expect(hosts.count == 4)
        #expect(Set(hosts).count == 4)
        // The simulated zone has four hosts: a fifth member has nowhere to go.
        let fifth = try await cloud.deploy(extra: ["affinitygroupids": antiId])
        #expect(fifth["jobresult"]?["errorcode"]?.int == 533)
        let together = try await cloud.callAndWait(
            "createAffinityGroup",
            ["name": "together", "type": "host affinity"]
        )
        let togetherId = try #require(together["jobresult"]?["affinitygroup"]?["id"]?.stringValue)
        var pinned: [String] = []
        for _ in 0..<3 {
            let job = try await cloud.deploy(extra: ["affinitygroupids": togetherId])
            pinned += [job["jobresult"]?["virtualmachine"]?["hostid"]?.stringValue].compactMap { $0 }
        }
        #expect(pinned.count == 3 && Set(pinned).count == 1)
        let (inUse, _) = await cloud.call("deleteAffinityGroup", ["id": togetherId])
        #expect(inUse == 536)
        // A stopped VM leaves its groups through updateVMAffinityGroup; then the empty group can go.
        let group = try await cloud.first("listAffinityGroups", "affinitygroup", ["id": togetherId])
        guard case .array(let members)? = group["virtualmachineIds"] else {
            Issue.record("no members: \(group.json)")
            return
        }
        #expect(members.count == 3)
        for member in members {
            let id = try #require(member.stringValue)
            let (runningStatus, _) = await cloud.call("updateVMAffinityGroup", ["id": id, "affinitygroupids": ""])
            #expect(runningStatus == 431)
            _ = try await cloud.callAndWait("stopVirtualMachine", ["id": id])
            let updated = try await cloud.callAndWait("updateVMAffinityGroup", ["id": id, "affinitygroupids": ""])
            guard case .array(let groups)? = updated["jobresult"]?["virtualmachine"]?["affinitygroup"] else {
                Issue.record("no affinitygroup: \(updated.json)")
                return
            }
            #expect(groups.isEmpty)
        }
        let emptied = try await cloud.callAndWait("deleteAffinityGroup", ["id": togetherId])
        #expect(emptied["jobstatus"]?.int == 1, "\(emptied.json)")
        let listed = try await cloud.first("listAffinityGroups", "affinitygroup", ["id": antiId])
        #expect(listed["type"]?.stringValue == "host anti-affinity")
    }
}
