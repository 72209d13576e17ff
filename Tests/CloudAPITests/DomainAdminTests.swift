import CloudAPI
import CloudModel
import Orchestrator
import Testing

/// Domain admins reach the accounts of their domain subtree, and nothing else.
struct DomainAdminTests {
    struct World {
        let cloud: TestCloud
        let east: String
        let eastSub: String
        let west: String
        let admin: TestAccount
        let user: TestAccount
        let subUser: TestAccount
        let stranger: TestAccount
        let userVM: String
        let subVM: String
        let strangerVM: String
    }

    static func world() async throws -> World {
        let cloud = try await TestCloud.make()
        let east = try await cloud.domain("east")
        let eastSub = try await cloud.domain("sub", parent: east)
        let west = try await cloud.domain("west")
        let admin = try await cloud.account("eastadmin", domainId: east, type: 2)
        let user = try await cloud.account("eastuser", domainId: east)
        let subUser = try await cloud.account("subuser", domainId: eastSub)
        let stranger = try await cloud.account("westuser", domainId: west)
        func vm(_ account: TestAccount) async throws -> String {
            let job = try await cloud.deploy(keys: account.keys)
            return try #require(job["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        }
        return World(
            cloud: cloud,
            east: east,
            eastSub: eastSub,
            west: west,
            admin: admin,
            user: user,
            subUser: subUser,
            stranger: stranger,
            userVM: try await vm(user),
            subVM: try await vm(subUser),
            strangerVM: try await vm(stranger)
        )
    }

    @Test func listsCoverTheSubtreeOnly() async throws {
        let world = try await Self.world()
        let cloud = world.cloud
        let keys = world.admin.keys
        #expect(await cloud.ids("listVirtualMachines", keys: keys).isEmpty)
        #expect(await cloud.ids("listVirtualMachines", ["listall": "true"], keys: keys) == [world.userVM, world.subVM])
        #expect(await cloud.ids("listVirtualMachines", ["domainid": world.east], keys: keys) == [world.userVM])
        #expect(
            await cloud.ids("listVirtualMachines", ["domainid": world.east, "isrecursive": "true"], keys: keys) == [
                world.userVM, world.subVM,
            ]
        )
        #expect(
            await cloud.ids("listVirtualMachines", ["account": "subuser", "domainid": world.eastSub], keys: keys) == [
                world.subVM
            ]
        )
        #expect(await cloud.ids("listVirtualMachines", ["id": world.subVM], keys: keys) == [world.subVM])
        #expect(await cloud.ids("listVirtualMachines", ["id": world.strangerVM], keys: keys).isEmpty)
        let (outside, body) = await cloud.call("listVirtualMachines", ["domainid": world.west], keys: keys)
        #expect(outside == 531)
        #expect(body["cserrorcode"]?.int == 4365)
        let (strangerAccount, _) = await cloud.call(
            "listVirtualMachines",
            ["account": "westuser", "domainid": world.west],
            keys: keys
        )
        #expect(strangerAccount == 531)

        #expect(
            await cloud.ids("listAccounts", ["listall": "true"], keys: keys) == [
                world.admin.id, world.user.id, world.subUser.id,
            ]
        )
        #expect(await cloud.ids("listAccounts", keys: keys) == [world.admin.id, world.user.id])
        #expect(
            await cloud.ids("listUsers", ["listall": "true"], keys: keys) == [
                world.admin.userId, world.user.userId, world.subUser.userId,
            ]
        )
        #expect(await cloud.ids("listDomains", ["listall": "true"], keys: keys) == [world.east, world.eastSub])

        // The root admin sees everything with listall, and one account by name.
        #expect(await cloud.ids("listVirtualMachines", ["listall": "true"]).count == 3)
        #expect(
            await cloud.ids("listVirtualMachines", ["account": "westuser", "domainid": world.west]) == [
                world.strangerVM
            ]
        )
        let (_, rendered) = await cloud.call("listVirtualMachines", ["id": world.subVM])
        #expect(rendered.items.first?["domain"]?.stringValue == "sub")
        #expect(rendered.items.first?["domainpath"]?.stringValue == "ROOT/east/sub")
        #expect(rendered.items.first?["domainid"]?.stringValue == world.eastSub)
    }

    @Test func actsInsideTheSubtreeOnly() async throws {
        let world = try await Self.world()
        let cloud = world.cloud
        let keys = world.admin.keys
        let stopped = try await cloud.callAndWait("stopVirtualMachine", ["id": world.subVM], keys: keys)
        #expect(stopped["jobresult"]?["virtualmachine"]?["state"]?.stringValue == "Stopped")
        let (refused, body) = await cloud.call("stopVirtualMachine", ["id": world.strangerVM], keys: keys)
        #expect(refused == 531)
        #expect(body["cserrorcode"]?.int == 4365)

        let (otherDomain, _) = await cloud.call(
            "createAccount",
            [
                "username": "intruder", "password": "p", "email": "e@x", "firstname": "F", "lastname": "L",
                "domainid": world.west,
            ],
            keys: keys
        )
        #expect(otherDomain == 531)
        let (child, _) = await cloud.call(
            "createDomain",
            ["name": "deeper", "parentdomainid": world.eastSub],
            keys: keys
        )
        #expect(child == 200)
        let (foreignChild, _) = await cloud.call(
            "createDomain",
            ["name": "x", "parentdomainid": world.west],
            keys: keys
        )
        #expect(foreignChild == 531)
        let (foreignUser, _) = await cloud.call(
            "updateUser",
            ["id": world.stranger.userId, "email": "x@y"],
            keys: keys
        )
        #expect(foreignUser == 531)
        let (ownUser, _) = await cloud.call("updateUser", ["id": world.subUser.userId, "email": "x@y"], keys: keys)
        #expect(ownUser == 200)
        let (foreignDelete, _) = await cloud.call("deleteAccount", ["id": world.stranger.id], keys: keys)
        #expect(foreignDelete == 531)
        let (foreignDomain, _) = await cloud.call("deleteDomain", ["id": world.west, "cleanup": "true"], keys: keys)
        #expect(foreignDomain == 531)
    }

    @Test func jobsOfTheSubtreeAreVisible() async throws {
        let world = try await Self.world()
        let cloud = world.cloud
        let (_, subJob) = await cloud.call("stopVirtualMachine", ["id": world.subVM], keys: world.subUser.keys)
        let (_, westJob) = await cloud.call("stopVirtualMachine", ["id": world.strangerVM], keys: world.stranger.keys)
        await cloud.server.jobs.drain()
        let inReach = try #require(subJob["jobid"]?.stringValue)
        let outOfReach = try #require(westJob["jobid"]?.stringValue)
        #expect(await cloud.call("queryAsyncJobResult", ["jobid": inReach], keys: world.admin.keys).status == 200)
        #expect(await cloud.call("queryAsyncJobResult", ["jobid": outOfReach], keys: world.admin.keys).status == 431)
        #expect(await cloud.call("queryAsyncJobResult", ["jobid": inReach], keys: world.user.keys).status == 431)
        let listed = await cloud.ids("listAsyncJobs", ["listall": "true"], keys: world.admin.keys)
        let (_, jobs) = await cloud.call("listAsyncJobs", ["listall": "true"], keys: world.admin.keys)
        let jobIds = Set(jobs.items.compactMap { $0["jobid"]?.stringValue })
        #expect(listed.isEmpty && jobIds.contains(inReach) && !jobIds.contains(outOfReach))
    }

    @Test func deploysForAnAccountInReach() async throws {
        let world = try await Self.world()
        let cloud = world.cloud
        let job = try await cloud.deploy(
            keys: world.admin.keys,
            extra: ["account": "subuser", "domainid": world.eastSub, "name": "for-sub"]
        )
        let vm = try #require(job["jobresult"]?["virtualmachine"])
        #expect(vm["account"]?.stringValue == "subuser")
        #expect(vm["domainid"]?.stringValue == world.eastSub)
        let owned = await cloud.ids("listVirtualMachines", keys: world.subUser.keys)
        #expect(owned.contains(try #require(vm["id"]?.stringValue)))

        let zone = try await cloud.first("listZones", "zone")
        let template = try await cloud.first("listTemplates", "template", ["templatefilter": "featured"])
        let offering = try await cloud.first("listServiceOfferings", "serviceoffering")
        let (refused, _) = await cloud.call(
            "deployVirtualMachine",
            [
                "zoneid": zone["id"]?.stringValue ?? "", "templateid": template["id"]?.stringValue ?? "",
                "serviceofferingid": offering["id"]?.stringValue ?? "", "account": "westuser",
                "domainid": world.west,
            ],
            keys: world.admin.keys
        )
        #expect(refused == 531)
        let (userTries, _) = await cloud.call(
            "deployVirtualMachine",
            [
                "zoneid": zone["id"]?.stringValue ?? "", "templateid": template["id"]?.stringValue ?? "",
                "serviceofferingid": offering["id"]?.stringValue ?? "", "account": "subuser",
                "domainid": world.eastSub,
            ],
            keys: world.user.keys
        )
        #expect(userTries == 531)
    }
}
