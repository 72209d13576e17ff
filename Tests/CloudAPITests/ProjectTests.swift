import CloudAPI
import CloudCore
import CloudModel
import CloudStore
import Orchestrator
import Testing

extension TestCloud {
    /// Creates a project (async) as `keys`' account; returns the job's `project`.
    func project(_ name: String, keys: (String, String)? = nil) async throws -> APIValue {
        let job = try await self.callAndWait(
            "createProject",
            ["name": name, "displaytext": "\(name) text"],
            keys: keys
        )
        #expect(job["jobstatus"]?.int == 1, "\(job.json)")
        return try #require(job["jobresult"]?["project"])
    }
}

@Suite("Projects")
struct ProjectTests {
    @Test func projectsAreCreatedListedToTheirMembersAndDeleted() async throws {
        let cloud = try await TestCloud.make()
        let owner = try await cloud.account("powner")
        let stranger = try await cloud.account("pstranger")
        let project = try await cloud.project("apollo", keys: owner.keys)
        let projectId = try #require(project["id"]?.stringValue)
        #expect(project["name"]?.stringValue == "apollo")
        #expect(project["displaytext"]?.stringValue == "apollo text")
        #expect(project["state"]?.stringValue == "Active")
        guard case .array(let owners)? = project["owner"] else {
            Issue.record("no owner list: \(project.json)")
            return
        }
        #expect(owners.first?["account"]?.stringValue == "powner")

        #expect(await cloud.ids("listProjects", keys: owner.keys) == [projectId])
        #expect(await cloud.ids("listProjects", keys: stranger.keys).isEmpty)
        #expect(await cloud.ids("listProjects", ["listall": "true"]) == [projectId])
        // The project's account is not one a member lists as its own.
        let (_, accounts) = await cloud.call("listAccounts", keys: owner.keys)
        #expect(accounts.items.compactMap { $0["name"]?.stringValue } == ["powner"])
        let (_, everyone) = await cloud.call("listAccounts", ["listall": "true"])
        #expect(everyone.items.allSatisfy { $0["name"]?.stringValue?.hasPrefix("PrjAcct-") == false })
        let names = Set(everyone.items.compactMap { $0["name"]?.stringValue })
        #expect(names.isSuperset(of: ["powner", "pstranger"]), "\(names)")

        let (duplicate, body) = await cloud.call("createProject", ["name": "apollo"], keys: owner.keys)
        #expect(duplicate == 431, "\(body.json)")
        let (forbidden, _) = await cloud.call("deleteProject", ["id": projectId], keys: stranger.keys)
        #expect(forbidden == 531)

        let (added, _) = await cloud.call(
            "addAccountToProject",
            ["projectid": projectId, "account": "pstranger"],
            keys: owner.keys
        )
        #expect(added == 200)
        await cloud.server.jobs.drain()
        #expect(await cloud.ids("listProjects", keys: stranger.keys) == [projectId])
        let (_, members) = await cloud.call("listProjectAccounts", ["projectid": projectId], keys: stranger.keys)
        #expect(Set(members.items.compactMap { $0["account"]?.stringValue }) == ["powner", "pstranger"])

        let deleted = try await cloud.callAndWait("deleteProject", ["id": projectId], keys: owner.keys)
        #expect(deleted["jobstatus"]?.int == 1, "\(deleted.json)")
        #expect(await cloud.ids("listProjects", ["listall": "true"]).isEmpty)
        let (_, gone) = await cloud.call("listProjects", ["id": projectId], keys: owner.keys)
        #expect(gone == .object([]))
    }

    @Test func aVMDeployedInAProjectIsListedUnderTheProjectOnly() async throws {
        let cloud = try await TestCloud.make()
        let member = try await cloud.account("pmember")
        let outsider = try await cloud.account("poutsider")
        let project = try await cloud.project("gemini", keys: member.keys)
        let projectId = try #require(project["id"]?.stringValue)

        let own = try await cloud.deploy(keys: member.keys)
        let ownId = try #require(own["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        let deployed = try await cloud.deploy(keys: member.keys, extra: ["projectid": projectId])
        #expect(deployed["jobstatus"]?.int == 1, "\(deployed.json)")
        let vm = try #require(deployed["jobresult"]?["virtualmachine"])
        let vmId = try #require(vm["id"]?.stringValue)
        #expect(vm["projectid"]?.stringValue == projectId)
        #expect(vm["project"]?.stringValue == "gemini")
        #expect(vm["account"] == nil)

        #expect(await cloud.ids("listVirtualMachines", keys: member.keys) == [ownId])
        #expect(await cloud.ids("listVirtualMachines", ["projectid": projectId], keys: member.keys) == [vmId])
        #expect(await cloud.ids("listVirtualMachines", ["projectid": "-1"], keys: member.keys) == [vmId])
        #expect(await cloud.ids("listVirtualMachines", ["listall": "true"]).contains(vmId) == false)
        #expect(await cloud.ids("listVirtualMachines", ["projectid": "-1"]) == [vmId])
        let (_, volumes) = await cloud.call("listVolumes", ["projectid": projectId], keys: member.keys)
        #expect(volumes.items.first?["projectid"]?.stringValue == projectId)
        #expect(volumes["count"]?.int == 1)

        // Someone outside the project neither lists nor deploys into it.
        let (listStatus, _) = await cloud.call("listVirtualMachines", ["projectid": projectId], keys: outsider.keys)
        #expect(listStatus == 531)
        #expect(await cloud.ids("listVirtualMachines", ["projectid": "-1"], keys: outsider.keys).isEmpty)
        var parameters = try await cloud.deployParameters()
        parameters["projectid"] = projectId
        let (deployStatus, _) = await cloud.call("deployVirtualMachine", parameters, keys: outsider.keys)
        #expect(deployStatus == 531)
        // A member acts on the project's VM.
        let stopped = try await cloud.callAndWait("stopVirtualMachine", ["id": vmId], keys: member.keys)
        #expect(stopped["jobstatus"]?.int == 1, "\(stopped.json)")
        let (stopStatus, _) = await cloud.call("startVirtualMachine", ["id": vmId], keys: outsider.keys)
        #expect(stopStatus == 531)

        // A suspended project stops its VMs and takes nothing new until it is activated.
        let started = try await cloud.callAndWait("startVirtualMachine", ["id": vmId], keys: member.keys)
        #expect(started["jobstatus"]?.int == 1, "\(started.json)")
        let suspended = try await cloud.callAndWait("suspendProject", ["id": projectId], keys: member.keys)
        #expect(suspended["jobresult"]?["project"]?["state"]?.stringValue == "Suspended", "\(suspended.json)")
        let (_, stoppedList) = await cloud.call("listVirtualMachines", ["projectid": projectId], keys: member.keys)
        #expect(stoppedList.items.first?["state"]?.stringValue == "Stopped")
        parameters["projectid"] = projectId
        let (whileSuspended, _) = await cloud.call("deployVirtualMachine", parameters, keys: member.keys)
        #expect(whileSuspended == 531)
        let activated = try await cloud.callAndWait("activateProject", ["id": projectId], keys: member.keys)
        #expect(activated["jobresult"]?["project"]?["state"]?.stringValue == "Active", "\(activated.json)")

        // A project with resources is deleted only with cleanup=true, which removes them.
        let (refused, body) = await cloud.call("deleteProject", ["id": projectId], keys: member.keys)
        #expect(refused == 536, "\(body.json)")
        let deleted = try await cloud.callAndWait(
            "deleteProject",
            ["id": projectId, "cleanup": "true"],
            keys: member.keys
        )
        #expect(deleted["jobstatus"]?.int == 1, "\(deleted.json)")
        #expect(try await cloud.server.core.store.get(VirtualMachine.self, id: vmId) == nil)
        #expect(await cloud.ids("listVirtualMachines", keys: member.keys) == [ownId])
    }

    @Test func networksAddressesAndVolumesTakeProjectIdToo() async throws {
        let cloud = try await TestCloud.make()
        let member = try await cloud.account("pnet")
        let project = try await cloud.project("soyuz", keys: member.keys)
        let projectId = try #require(project["id"]?.stringValue)
        let inProject = ["projectid": projectId]

        let networkId = try await NetworkCommandTests.isolated(
            cloud,
            name: "pnet1",
            keys: member.keys,
            extra: inProject
        )
        let (_, networks) = await cloud.call("listNetworks", inProject, keys: member.keys)
        let network = try #require(networks.items.first { $0["id"]?.stringValue == networkId })
        #expect(network["projectid"]?.stringValue == projectId)
        #expect(network["project"]?.stringValue == "soyuz")
        #expect(await cloud.ids("listNetworks", keys: member.keys).contains(networkId) == false)

        let ip = try await cloud.callAndWait(
            "associateIpAddress",
            ["networkid": networkId, "projectid": projectId],
            keys: member.keys
        )
        let ipId = try #require(ip["jobresult"]?["ipaddress"]?["id"]?.stringValue, "\(ip.json)")
        #expect(ip["jobresult"]?["ipaddress"]?["projectid"]?.stringValue == projectId)
        #expect(await cloud.ids("listPublicIpAddresses", inProject, keys: member.keys).contains(ipId))
        #expect(await cloud.ids("listPublicIpAddresses", keys: member.keys).contains(ipId) == false)

        let offering = try await cloud.first("listDiskOfferings", "diskoffering", ["name": "Small"])
        let created = try await cloud.callAndWait(
            "createVolume",
            [
                "name": "pvol", "zoneid": network["zoneid"]?.stringValue ?? "",
                "diskofferingid": offering["id"]?.stringValue ?? "", "projectid": projectId,
            ],
            keys: member.keys
        )
        let volume = try #require(created["jobresult"]?["volume"], "\(created.json)")
        let volumeId = try #require(volume["id"]?.stringValue)
        #expect(volume["projectid"]?.stringValue == projectId)
        #expect(await cloud.ids("listVolumes", inProject, keys: member.keys) == [volumeId])
        #expect(await cloud.ids("listVolumes", keys: member.keys).isEmpty)
        let (_, counts) = await cloud.call(
            "updateResourceCount",
            ["domainid": try await cloud.rootDomainId(), "projectid": projectId]
        )
        let byType = Dictionary(
            counts.items.compactMap { item in
                item["resourcetypename"]?.stringValue.map { ($0, item["resourcecount"]?.int) }
            }
        ) { first, _ in first }
        #expect(byType["network"] == 1)
        #expect(byType["volume"] == 1)
        #expect(byType["public_ip"] == 2, "the source NAT address and the associated one")
    }

    @Test func deletingADomainRemovesItsProjects() async throws {
        let cloud = try await TestCloud.make()
        let domainId = try await cloud.domain("pdomain")
        let member = try await cloud.account("pdmember", domainId: domainId)
        let project = try await cloud.project("vostok", keys: member.keys)
        let projectId = try #require(project["id"]?.stringValue)
        #expect(project["domainid"]?.stringValue == domainId)
        let deployed = try await cloud.deploy(keys: member.keys, extra: ["projectid": projectId])
        #expect(deployed["jobstatus"]?.int == 1, "\(deployed.json)")
        let removed = try await cloud.callAndWait("deleteDomain", ["id": domainId, "cleanup": "true"])
        #expect(removed["jobstatus"]?.int == 1, "\(removed.json)")
        #expect(try await cloud.server.core.store.get(Project.self, id: projectId) == nil)
        #expect(await cloud.ids("listVirtualMachines", ["projectid": "-1"]).isEmpty)
    }

    @Test func projectsHaveTheirOwnLimits() async throws {
        let cloud = try await TestCloud.make()
        let member = try await cloud.account("plimited")
        let project = try await cloud.project("mercury", keys: member.keys)
        let projectId = try #require(project["id"]?.stringValue)
        #expect(await cloud.listedLimit(.userVM, ["projectid": projectId], keys: member.keys) == 20)
        let answered = try await cloud.setLimit(["projectid": projectId, "resourcetype": "0", "max": "1"])
        #expect(answered["projectid"]?.stringValue == projectId)
        #expect(answered["project"]?.stringValue == "mercury")
        #expect(await cloud.listedLimit(.userVM, ["projectid": projectId], keys: member.keys) == 1)
        #expect(await cloud.listedLimit(.userVM, keys: member.keys) == 20, "the member's own limit is unchanged")

        #expect(try await cloud.deploy(keys: member.keys, extra: ["projectid": projectId])["jobstatus"]?.int == 1)
        var parameters = try await cloud.deployParameters()
        parameters["projectid"] = projectId
        expectLimitRefusal(
            await cloud.call("deployVirtualMachine", parameters, keys: member.keys),
            "user_vm",
            "Project Name = mercury"
        )
        // The member's own account is not limited by the project's use.
        #expect(try await cloud.deploy(keys: member.keys)["jobstatus"]?.int == 1)

        // max.account.projects caps how many projects an account creates.
        try await cloud.setLimit([
            "account": "plimited", "domainid": try await cloud.rootDomainId(), "resourcetype": "5", "max": "1",
        ])
        let (status, body) = await cloud.call("createProject", ["name": "venus"], keys: member.keys)
        #expect(status == 535, "\(body.json)")
    }
}
