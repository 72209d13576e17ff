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
