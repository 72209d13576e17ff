import CloudAPI
import CloudModel
import CloudStore
import CloudTestSupport
import Orchestrator
import Testing

extension TestCloud {
    /// The ROOT domain's id.
    func rootDomainId() async throws -> String {
        let root = try await self.first("listDomains", "domain", ["name": "ROOT"])
        return try #require(root["id"]?.stringValue)
    }

    /// Sets a limit as the admin; returns the `resourcelimit` answered.
    @discardableResult
    func setLimit(_ parameters: [String: String]) async throws -> APIValue {
        let (status, body) = await self.call("updateResourceLimit", parameters)
        #expect(status == 200, "\(body.json)")
        return try #require(body["resourcelimit"])
    }

    /// The `max` listResourceLimits shows for a type.
    func listedLimit(
        _ type: ResourceType,
        _ parameters: [String: String] = [:],
        keys: (String, String)? = nil
    ) async -> Int? {
        let (_, body) = await self.call(
            "listResourceLimits",
            parameters.merging(["resourcetype": String(type.rawValue)]) { $1 },
            keys: keys
        )
        return body.items.first?["max"]?.int
    }

    /// The deploy parameters of the first zone, featured template and Small Instance.
    func deployParameters() async throws -> [String: String] {
        let zone = try await self.first("listZones", "zone")
        let template = try await self.first("listTemplates", "template", ["templatefilter": "featured"])
        let offering = try await self.first("listServiceOfferings", "serviceoffering", ["name": "Small Instance"])
        return [
            "zoneid": zone["id"]?.stringValue ?? "", "templateid": template["id"]?.stringValue ?? "",
            "serviceofferingid": offering["id"]?.stringValue ?? "",
        ]
    }
}

/// The refusal of a limit: 535 (CloudStack's ResourceAllocationException) naming the type.
func expectLimitRefusal(_ answer: (status: Int, body: APIValue), _ type: String, _ owner: String) {
    #expect(answer.status == 535, "\(answer.body.json)")
    let text = answer.body["errortext"]?.stringValue ?? ""
    #expect(text.hasPrefix("Maximum amount of resources of Type = '\(type)' for \(owner) in Domain Id = "), "\(text)")
    #expect(text.contains("is exceeded: Account Resource Limit = "), "\(text)")
}

@Suite("Resource limits")
struct ResourceLimitTests {
    @Test func defaultsComeFromTheGlobalSettingsAndRootAdminsAreUnlimited() async throws {
        let cloud = try await TestCloud.make()
        let user = try await cloud.account("lim-user")
        let (status, body) = await cloud.call("listResourceLimits", keys: user.keys)
        #expect(status == 200)
        #expect(body["count"]?.int == ResourceType.allCases.count)
        let byName = Dictionary(
            body.items.compactMap { item in item["resourcetypename"]?.stringValue.map { ($0, item) } }
        ) { first, _ in first }
        #expect(byName["user_vm"]?["max"]?.int == 20)
        #expect(byName["user_vm"]?["resourcetype"]?.stringValue == "0")
        #expect(byName["user_vm"]?["account"]?.stringValue == "lim-user")
        #expect(byName["cpu"]?["max"]?.int == 40)
        #expect(byName["memory"]?["max"]?.int == 40960)
        #expect(byName["primary_storage"]?["max"]?.int == 200, "storage limits are shown in GiB")
        #expect(byName["project"]?["max"]?.int == 10)
        // A changed default applies to every account without an explicit limit.
        _ = await cloud.call("updateConfiguration", ["name": "max.account.user.vms", "value": "7"])
        #expect(await cloud.listedLimit(.userVM, keys: user.keys) == 7)
        #expect(await cloud.listedLimit(.userVM) == -1, "the root admin is unlimited")
    }

    @Test func anAccountLimitIsListedAndRefusesTheDeployPastIt() async throws {
        let cloud = try await TestCloud.make()
        let user = try await cloud.account("alice")
        let root = try await cloud.rootDomainId()
        let answered = try await cloud.setLimit(["account": "alice", "domainid": root, "resourcetype": "0", "max": "1"])
        #expect(answered["max"]?.int == 1)
        #expect(answered["resourcetypename"]?.stringValue == "user_vm")
        #expect(answered["account"]?.stringValue == "alice")
        #expect(await cloud.listedLimit(.userVM, keys: user.keys) == 1)
        #expect(await cloud.listedLimit(.userVM, ["account": "alice", "domainid": root]) == 1)

        let first = try await cloud.deploy(keys: user.keys)
        #expect(first["jobstatus"]?.int == 1, "\(first.json)")
        let refused = await cloud.call("deployVirtualMachine", try await cloud.deployParameters(), keys: user.keys)
        expectLimitRefusal(refused, "user_vm", "Account Name = alice")
        #expect(
            refused.body["errortext"]?.stringValue?.hasSuffix(
                "Account Resource Limit = 1, Current Account Resource Amount = 1, "
                    + "Current Account Resource Reservation = 0, Requested Resource Amount = 1."
            ) == true
        )
        let (_, vms) = await cloud.call("listVirtualMachines", keys: user.keys)
        #expect(vms["count"]?.int == 1, "the refused deploy left nothing behind")

        // A destroyed VM no longer counts; raising the limit or -1 lets deploys through again.
        let vmId = try #require(first["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        _ = try await cloud.callAndWait("destroyVirtualMachine", ["id": vmId], keys: user.keys)
        #expect(try await cloud.deploy(keys: user.keys)["jobstatus"]?.int == 1)
        try await cloud.setLimit(["account": "alice", "domainid": root, "resourcetype": "0", "max": "-1"])
        #expect(try await cloud.deploy(keys: user.keys)["jobstatus"]?.int == 1)

        let (countStatus, counts) = await cloud.call(
            "updateResourceCount",
            ["account": "alice", "domainid": root, "resourcetype": "0"]
        )
        #expect(countStatus == 200, "\(counts.json)")
        #expect(counts.items.first?["resourcecount"]?.int == 2)
    }

    @Test func cpuMemoryAndStorageLimitsRefuseDeploysScalesAndVolumes() async throws {
        let cloud = try await TestCloud.make()
        let user = try await cloud.account("bob")
        let root = try await cloud.rootDomainId()
        let owner = ["account": "bob", "domainid": root]
        let parameters = try await cloud.deployParameters()

        try await cloud.setLimit(owner.merging(["resourcetype": "8", "max": "0"]) { $1 })
        expectLimitRefusal(
            await cloud.call("deployVirtualMachine", parameters, keys: user.keys),
            "cpu",
            "Account Name = bob"
        )
        try await cloud.setLimit(owner.merging(["resourcetype": "8", "max": "-1"]) { $1 })

        try await cloud.setLimit(owner.merging(["resourcetype": "9", "max": "256"]) { $1 })
        expectLimitRefusal(
            await cloud.call("deployVirtualMachine", parameters, keys: user.keys),
            "memory",
            "Account Name = bob"
        )
        // Exactly one Small Instance fits; scaling it to Medium adds 512 MiB more than the limit allows.
        try await cloud.setLimit(owner.merging(["resourcetype": "9", "max": "512"]) { $1 })
        let deployed = try await cloud.deploy(keys: user.keys)
        let vmId = try #require(deployed["jobresult"]?["virtualmachine"]?["id"]?.stringValue, "\(deployed.json)")
        let medium = try await cloud.first("listServiceOfferings", "serviceoffering", ["name": "Medium Instance"])
        let scaled = try await cloud.callAndWait(
            "scaleVirtualMachine",
            ["id": vmId, "serviceofferingid": medium["id"]?.stringValue ?? ""],
            keys: user.keys
        )
        #expect(scaled["jobstatus"]?.int == 2, "\(scaled.json)")
        #expect(scaled["jobresult"]?["errorcode"]?.int == 535)
        #expect(
            scaled["jobresult"]?["errortext"]?.stringValue?.hasPrefix(
                "Maximum amount of resources of Type = 'memory' for Account Name = bob"
            ) == true
        )

        // The root volume counts as a volume and as primary storage.
        try await cloud.setLimit(owner.merging(["resourcetype": "2", "max": "1"]) { $1 })
        let zoneId = parameters["zoneid"] ?? ""
        let offering = try await cloud.first("listDiskOfferings", "diskoffering")
        let volume = ["zoneid": zoneId, "diskofferingid": offering["id"]?.stringValue ?? "", "name": "data"]
        expectLimitRefusal(await cloud.call("createVolume", volume, keys: user.keys), "volume", "Account Name = bob")
        try await cloud.setLimit(owner.merging(["resourcetype": "2", "max": "-1"]) { $1 })
        try await cloud.setLimit(owner.merging(["resourcetype": "10", "max": "3"]) { $1 })
        let storage = await cloud.call("createVolume", volume, keys: user.keys)
        expectLimitRefusal(storage, "primary_storage", "Account Name = bob")
        try await cloud.setLimit(owner.merging(["resourcetype": "10", "max": "7"]) { $1 })
        let created = try await cloud.callAndWait("createVolume", volume, keys: user.keys)
        #expect(created["jobstatus"]?.int == 1, "\(created.json)")
        // Growing the data disk past the limit fails in the resize job.
        let volumeId = try #require(created["jobresult"]?["volume"]?["id"]?.stringValue)
        let resized = try await cloud.callAndWait("resizeVolume", ["id": volumeId, "size": "6"], keys: user.keys)
        #expect(resized["jobresult"]?["errorcode"]?.int == 535, "\(resized.json)")
    }

    @Test func snapshotIpNetworkVpcAndTemplateLimitsRefuseTheirCreates() async throws {
        let cloud = try await TestCloud.make()
        let user = try await cloud.account("carol")
        let root = try await cloud.rootDomainId()
        func zero(_ type: ResourceType) async throws {
            try await cloud.setLimit([
                "account": "carol", "domainid": root, "resourcetype": String(type.rawValue), "max": "0",
            ])
        }
        let who = "Account Name = carol"
        let deployed = try await cloud.deploy(keys: user.keys)
        let vmId = try #require(deployed["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        let (_, volumes) = await cloud.call("listVolumes", ["virtualmachineid": vmId], keys: user.keys)
        let rootVolume = try #require(volumes.items.first?["id"]?.stringValue)
        let zoneId = try await cloud.deployParameters()["zoneid"] ?? ""

        try await zero(.snapshot)
        expectLimitRefusal(
            await cloud.call("createSnapshot", ["volumeid": rootVolume], keys: user.keys),
            "snapshot",
            who
        )

        try await zero(.publicIP)
        expectLimitRefusal(
            await cloud.call("associateIpAddress", ["zoneid": zoneId], keys: user.keys),
            "public_ip",
            who
        )

        try await zero(.network)
        let isolated = try await NetworkCommandTests.offering(
            cloud,
            "DefaultIsolatedNetworkOfferingWithSourceNatService"
        )
        let network = await cloud.call(
            "createNetwork",
            ["name": "n1", "displaytext": "n1", "zoneid": zoneId, "networkofferingid": isolated],
            keys: user.keys
        )
        expectLimitRefusal(network, "network", who)

        try await zero(.vpc)
        let vpcOffering = try await cloud.first("listVPCOfferings", "vpcoffering")
        let vpc = await cloud.call(
            "createVPC",
            [
                "name": "v1", "cidr": "10.30.0.0/16", "zoneid": zoneId,
                "vpcofferingid": vpcOffering["id"]?.stringValue ?? "",
            ],
            keys: user.keys
        )
        expectLimitRefusal(vpc, "vpc", who)

        try await zero(.template)
        let template = await cloud.call(
            "registerTemplate",
            [
                "name": "t", "displaytext": "t", "format": "QCOW2", "hypervisor": "Simulator",
                "url": "http://example.com/t.qcow2", "zoneid": zoneId,
            ],
            keys: user.keys
        )
        expectLimitRefusal(template, "template", who)
        let iso = await cloud.call(
            "registerIso",
            ["name": "i", "displaytext": "i", "url": "http://example.com/i.iso", "zoneid": zoneId],
            keys: user.keys
        )
        expectLimitRefusal(iso, "template", who)
    }

    @Test func aDomainLimitCapsTheSumOfItsAccounts() async throws {
        let cloud = try await TestCloud.make()
        let domainId = try await cloud.domain("capped")
        let first = try await cloud.account("d-one", domainId: domainId)
        let second = try await cloud.account("d-two", domainId: domainId)
        let answered = try await cloud.setLimit(["domainid": domainId, "resourcetype": "0", "max": "2"])
        #expect(answered["domainid"]?.stringValue == domainId)
        #expect(answered["account"] == nil)
        #expect(await cloud.listedLimit(.userVM, ["domainid": domainId]) == 2)

        #expect(try await cloud.deploy(keys: first.keys)["jobstatus"]?.int == 1)
        #expect(try await cloud.deploy(keys: second.keys)["jobstatus"]?.int == 1)
        let refused = await cloud.call("deployVirtualMachine", try await cloud.deployParameters(), keys: first.keys)
        #expect(refused.status == 535, "\(refused.body.json)")
        #expect(
            refused.body["errortext"]?.stringValue
                == "Maximum domain resource limits of Type 'user_vm' for Domain Id = \(domainId) is exceeded: "
                + "Domain Resource Limit = 2, Current Domain Resource Amount = 2, Current Resource Reservation = 0, "
                + "Requested Resource Amount = 1."
        )

        // A sub-domain without a limit of its own inherits its parent's; the parent's subtree still counts.
        let subId = try await cloud.domain("sub", parent: domainId)
        let third = try await cloud.account("d-three", domainId: subId)
        #expect(await cloud.listedLimit(.userVM, ["domainid": subId]) == 2)
        let sub = await cloud.call("deployVirtualMachine", try await cloud.deployParameters(), keys: third.keys)
        #expect(sub.status == 535, "\(sub.body.json)")
        // A child's limit may not exceed its parent's.
        let (tooHigh, body) = await cloud.call(
            "updateResourceLimit",
            ["domainid": subId, "resourcetype": "0", "max": "5"]
        )
        #expect(tooHigh == 431, "\(body.json)")
        let (countStatus, counts) = await cloud.call(
            "updateResourceCount",
            ["domainid": domainId, "resourcetype": "0"]
        )
        #expect(countStatus == 200)
        #expect(counts.items.first?["resourcecount"]?.int == 2)
    }

    @Test(arguments: TestBackend.allCases)
    func concurrentDeploysAgainstALimitOfOneAdmitExactlyOne(backend: TestBackend) async throws {
        let cloud = try await TestCloud.make(backend: backend)
        let user = try await cloud.account("racer")
        let root = try await cloud.rootDomainId()
        try await cloud.setLimit(["account": "racer", "domainid": root, "resourcetype": "0", "max": "1"])
        let parameters = try await cloud.deployParameters()
        let statuses = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask { await cloud.call("deployVirtualMachine", parameters, keys: user.keys).status }
            }
            var all: [Int] = []
            for await status in group { all.append(status) }
            return all
        }
        #expect(statuses.filter { $0 == 200 }.count == 1, "\(statuses)")
        #expect(statuses.filter { $0 == 535 }.count == 7, "\(statuses)")
        await cloud.server.jobs.drain()
        let (_, vms) = await cloud.call("listVirtualMachines", keys: user.keys)
        #expect(vms["count"]?.int == 1)
    }

    @Test func onlyAdminsUpdateLimitsWithinTheirReach() async throws {
        let cloud = try await TestCloud.make()
        let root = try await cloud.rootDomainId()
        let user = try await cloud.account("plain")
        let (userStatus, _) = await cloud.call(
            "updateResourceLimit",
            ["account": "plain", "domainid": root, "resourcetype": "0", "max": "5"],
            keys: user.keys
        )
        #expect(userStatus == 432)
        let (countStatus, _) = await cloud.call("updateResourceCount", ["domainid": root], keys: user.keys)
        #expect(countStatus == 432)
        // A user lists its own limits whatever account it names.
        #expect(await cloud.listedLimit(.userVM, ["account": "admin", "domainid": root], keys: user.keys) == 20)

        let domainId = try await cloud.domain("managed")
        let admin = try await cloud.account("dadmin", domainId: domainId, type: 2)
        let member = try await cloud.account("member", domainId: domainId)
        let ownAccount = await cloud.call(
            "updateResourceLimit",
            ["account": "dadmin", "domainid": domainId, "resourcetype": "0", "max": "5"],
            keys: admin.keys
        )
        #expect(ownAccount.status == 531, "\(ownAccount.body.json)")
        let ownDomain = await cloud.call(
            "updateResourceLimit",
            ["domainid": domainId, "resourcetype": "0", "max": "5"],
            keys: admin.keys
        )
        #expect(ownDomain.status == 531, "\(ownDomain.body.json)")
        let memberLimit = await cloud.call(
            "updateResourceLimit",
            ["account": "member", "domainid": domainId, "resourcetype": "0", "max": "3"],
            keys: admin.keys
        )
        #expect(memberLimit.status == 200, "\(memberLimit.body.json)")
        #expect(await cloud.listedLimit(.userVM, keys: member.keys) == 3)
        let outside = await cloud.call(
            "updateResourceLimit",
            ["account": "plain", "domainid": root, "resourcetype": "0", "max": "3"],
            keys: admin.keys
        )
        #expect(outside.status == 531, "\(outside.body.json)")

        let rootDomain = await cloud.call("updateResourceLimit", ["domainid": root, "resourcetype": "0", "max": "3"])
        #expect(rootDomain.status == 531)
        let rootAdmin = await cloud.call(
            "updateResourceLimit",
            ["account": "admin", "domainid": root, "resourcetype": "0", "max": "3"]
        )
        #expect(rootAdmin.status == 431)
        let negative = await cloud.call(
            "updateResourceLimit",
            ["account": "plain", "domainid": root, "resourcetype": "0", "max": "-2"]
        )
        #expect(negative.status == 431)
        #expect(
            negative.body["errortext"]?.stringValue
                == "Please specify either '-1' for an infinite limit, or a limit that is at least '0'."
        )
        let unknownType = await cloud.call(
            "updateResourceLimit",
            ["account": "plain", "domainid": root, "resourcetype": "42", "max": "1"]
        )
        #expect(unknownType.status == 431)
        #expect(unknownType.body["errortext"]?.stringValue == "Please specify valid resource type")
    }
}
