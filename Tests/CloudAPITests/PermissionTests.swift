import CloudAPI
import Testing

struct PermissionTests {
    @Test func userSeesAndTouchesOnlyItsOwnVMs() async throws {
        let cloud = try await TestCloud.make()
        let alice = try await cloud.makeUser("alice")
        let bob = try await cloud.makeUser("bob")
        let aliceJob = try await cloud.deploy(keys: alice)
        let aliceVM = try #require(aliceJob["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        _ = try await cloud.deploy(keys: bob)

        let (_, aliceList) = await cloud.call("listVirtualMachines", ["listall": "true"], keys: alice)
        #expect(aliceList["count"]?.int == 1)
        #expect(aliceList.items.first?["id"]?.stringValue == aliceVM)
        #expect(aliceList.items.first?["hostid"] == nil)

        let (status, body) = await cloud.call("stopVirtualMachine", ["id": aliceVM], keys: bob)
        #expect(status == 531)
        #expect(body["cserrorcode"]?.int == 4365)

        let (_, adminOwn) = await cloud.call("listVirtualMachines")
        #expect(adminOwn == .object([]))
        let (_, adminAll) = await cloud.call("listVirtualMachines", ["listall": "true"])
        #expect(adminAll["count"]?.int == 2)
    }

    @Test func userCannotCallAdminCommands() async throws {
        let cloud = try await TestCloud.make()
        let carol = try await cloud.makeUser("carol")
        let (status, body) = await cloud.call("listHosts", keys: carol)
        #expect(status == 432)
        #expect(body["errorcode"]?.int == 432)
        let (apis, list) = await cloud.call("listApis", keys: carol)
        #expect(apis == 200)
        #expect(!list.items.contains { $0["name"]?.stringValue == "listHosts" })
    }
}

struct AccountTests {
    @Test func createAccountValidatesAndRefusesDuplicates() async throws {
        let cloud = try await TestCloud.make()
        _ = try await cloud.makeUser("dave")
        let base = ["password": "p", "email": "e@x", "firstname": "F", "lastname": "L"]
        let (dup, body) = await cloud.call("createAccount", base.merging(["username": "dave"]) { a, _ in a })
        #expect(dup == 431)
        #expect(body["errortext"]?.stringValue?.contains("already exists") == true)
        let unknownDomain = "00000000-0000-0000-0000-000000000000"
        let (domain, _) = await cloud.call(
            "createAccount",
            base.merging(["username": "erin", "domainid": unknownDomain]) { a, _ in a }
        )
        #expect(domain == 431)
        let (_, accounts) = await cloud.call("listAccounts", ["name": "dave"])
        #expect(accounts["count"]?.int == 1)
    }

    @Test func userKeysWorkAndUsersSeeOnlyThemselves() async throws {
        let cloud = try await TestCloud.make()
        let frank = try await cloud.makeUser("frank")
        let (status, users) = await cloud.call("listUsers", keys: frank)
        #expect(status == 200)
        #expect(users.items.map { $0["username"]?.stringValue } == ["frank"])
        let (create, _) = await cloud.call("createAccount", ["username": "x"], keys: frank)
        #expect(create == 432)
    }
}

struct RoleScopeTests {
    @Test func jobsAreVisibleOnlyToTheirOwner() async throws {
        let cloud = try await TestCloud.make()
        let grace = try await cloud.makeUser("grace")
        let heidi = try await cloud.makeUser("heidi")
        let job = try await cloud.deploy(keys: grace)
        let jobId = try #require(job["jobid"]?.stringValue)
        let (status, _) = await cloud.call("queryAsyncJobResult", ["jobid": jobId], keys: heidi)
        #expect(status == 431)
        let (_, jobs) = await cloud.call("listAsyncJobs", keys: heidi)
        #expect(jobs == .object([]))
    }

    @Test func domainAdminCreatesUsersButNotAdmins() async throws {
        let cloud = try await TestCloud.make()
        let base = ["password": "p", "email": "e@x", "firstname": "F", "lastname": "L"]
        let (created, account) = await cloud.call(
            "createAccount",
            base.merging(["username": "ivan", "accounttype": "2"]) { a, _ in a }
        )
        #expect(created == 200)
        #expect(account["account"]?["roletype"]?.stringValue == "DomainAdmin")
        guard case .array(let users)? = account["account"]?["user"], let userId = users.first?["id"]?.stringValue else {
            throw CancellationError()
        }
        let (_, keys) = await cloud.call("registerUserKeys", ["id": userId])
        let ivan = (keys["userkeys"]?["apikey"]?.stringValue ?? "", keys["userkeys"]?["secretkey"]?.stringValue ?? "")
        let (user, _) = await cloud.call("createAccount", base.merging(["username": "judy"]) { a, _ in a }, keys: ivan)
        #expect(user == 200)
        let (admin, body) = await cloud.call(
            "createAccount",
            base.merging(["username": "mallory", "accounttype": "1"]) { a, _ in a },
            keys: ivan
        )
        #expect(admin == 431)
        #expect(body["errortext"]?.stringValue?.contains("accounttype") == true)
    }

    @Test func listVirtualMachinesFilters() async throws {
        let cloud = try await TestCloud.make()
        _ = try await cloud.deploy(extra: ["name": "web-1"])
        _ = try await cloud.deploy(extra: ["name": "db-1", "startvm": "false"])
        let (_, web) = await cloud.call("listVirtualMachines", ["keyword": "web"])
        #expect(web.items.map { $0["name"]?.stringValue } == ["web-1"])
        let (_, stopped) = await cloud.call("listVirtualMachines", ["state": "Stopped"])
        #expect(stopped.items.map { $0["name"]?.stringValue } == ["db-1"])
        let (_, named) = await cloud.call("listVirtualMachines", ["name": "db-1"])
        #expect(named["count"]?.int == 1)
    }
}
