import CloudAPI
import CloudCore
import CloudModel
import CloudStore
import Testing

/// An account created through the API, with its keys.
struct TestAccount {
    let id: String
    let userId: String
    let keys: (String, String)
}

extension TestCloud {
    /// Creates an account (`accounttype` 0 user, 2 domain admin) in a domain and registers its user's keys.
    func account(_ name: String, domainId: String? = nil, type: Int = 0) async throws -> TestAccount {
        var parameters = [
            "username": name, "password": "pw-\(name)", "email": "\(name)@example.com", "firstname": "F",
            "lastname": "L", "accounttype": String(type),
        ]
        if let domainId { parameters["domainid"] = domainId }
        let (status, created) = await self.call("createAccount", parameters)
        #expect(status == 200, "\(created.json)")
        let account = try #require(created["account"])
        guard case .array(let users)? = account["user"], let userId = users.first?["id"]?.stringValue else {
            Issue.record("no user in \(created.json)")
            throw CancellationError()
        }
        let (_, keys) = await self.call("registerUserKeys", ["id": userId])
        return TestAccount(
            id: try #require(account["id"]?.stringValue),
            userId: userId,
            keys: (
                try #require(keys["userkeys"]?["apikey"]?.stringValue),
                try #require(keys["userkeys"]?["secretkey"]?.stringValue)
            )
        )
    }

    /// Creates a domain; returns its id.
    func domain(_ name: String, parent: String? = nil) async throws -> String {
        var parameters = ["name": name]
        if let parent { parameters["parentdomainid"] = parent }
        let (status, body) = await self.call("createDomain", parameters)
        #expect(status == 200, "\(body.json)")
        return try #require(body["domain"]?["id"]?.stringValue)
    }

    /// The ids of the items a list returns.
    func ids(
        _ command: String,
        _ parameters: [String: String] = [:],
        keys: (String, String)? = nil
    ) async -> Set<String> {
        let (_, body) = await self.call(command, parameters, keys: keys)
        return Set(body.items.compactMap { $0["id"]?.stringValue })
    }
}

struct DomainTests {
    @Test func hierarchyPathsLevelsAndLists() async throws {
        let cloud = try await TestCloud.make()
        let child = try await cloud.domain("child")
        let grandchild = try await cloud.domain("grandchild", parent: child)
        let (_, created) = await cloud.call("listDomains", ["id": grandchild])
        let item = try #require(created.items.first)
        #expect(item["path"]?.stringValue == "ROOT/child/grandchild")
        #expect(item["level"]?.int == 2)
        #expect(item["parentdomainid"]?.stringValue == child)
        #expect(item["parentdomainname"]?.stringValue == "child")
        #expect(item["haschild"] == .bool(false))

        let (_, own) = await cloud.call("listDomains")
        #expect(own.items.map { $0["name"]?.stringValue } == ["ROOT"])
        let (_, all) = await cloud.call("listDomains", ["listall": "true"])
        #expect(all["count"]?.int == 3)
        #expect(all.items.first { $0["id"]?.stringValue == child }?["haschild"] == .bool(true))
        #expect(await cloud.ids("listDomains", ["listall": "true", "level": "1"]) == [child])
        #expect(await cloud.ids("listDomains", ["listall": "true", "name": "grandchild"]) == [grandchild])
        #expect(await cloud.ids("listDomains", ["listall": "true", "keyword": "CHILD"]) == [child, grandchild])
        let (_, paged) = await cloud.call("listDomains", ["listall": "true", "page": "2", "pagesize": "2"])
        #expect(paged["count"]?.int == 3)
        #expect(paged.items.count == 1)

        let (_, root) = await cloud.call("listDomains", ["level": "0"])
        let rootId = try #require(root.items.first?["id"]?.stringValue)
        #expect(await cloud.ids("listDomainChildren", ["id": rootId]) == [child])
        #expect(await cloud.ids("listDomainChildren", ["id": rootId, "isrecursive": "true"]) == [child, grandchild])
        #expect(await cloud.ids("listDomainChildren") == [child])
    }

    @Test func renameRewritesTheSubtreeAndRefusesDuplicates() async throws {
        let cloud = try await TestCloud.make()
        let child = try await cloud.domain("child")
        let grandchild = try await cloud.domain("grandchild", parent: child)
        _ = try await cloud.domain("other")
        let (status, renamed) = await cloud.call("updateDomain", ["id": child, "name": "renamed"])
        #expect(status == 200)
        #expect(renamed["domain"]?["path"]?.stringValue == "ROOT/renamed")
        let (_, below) = await cloud.call("listDomains", ["id": grandchild])
        #expect(below.items.first?["path"]?.stringValue == "ROOT/renamed/grandchild")

        let (duplicate, body) = await cloud.call("updateDomain", ["id": child, "name": "other"])
        #expect(duplicate == 431)
        #expect(body["errortext"]?.stringValue?.contains("already exists") == true)
        let (again, _) = await cloud.call("createDomain", ["name": "grandchild", "parentdomainid": child])
        #expect(again == 431)
        let (slash, _) = await cloud.call("createDomain", ["name": "a/b"])
        #expect(slash == 431)
        let (_, root) = await cloud.call("listDomains")
        let rootId = try #require(root.items.first?["id"]?.stringValue)
        let (rootRename, _) = await cloud.call("updateDomain", ["id": rootId, "name": "TOP"])
        #expect(rootRename == 431)
    }

    @Test func deleteRefusesInUseAndCleanupRemovesAccountsAndVMs() async throws {
        let cloud = try await TestCloud.make()
        let child = try await cloud.domain("child")
        let grandchild = try await cloud.domain("grandchild", parent: child)
        let owner = try await cloud.account("olga", domainId: grandchild)
        let job = try await cloud.deploy(keys: owner.keys)
        let vm = try #require(job["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        let used = try await cloud.server.core.store.list(Host.self).items.map(\.cpuUsed).reduce(0, +)
        #expect(used > 0)

        let (refused, body) = await cloud.call("deleteDomain", ["id": child])
        #expect(refused == 536)
        #expect(body["errortext"]?.stringValue?.contains("cleanup") == true)
        let (leaf, _) = await cloud.call("deleteDomain", ["id": grandchild])
        #expect(leaf == 536)

        let deleted = try await cloud.callAndWait("deleteDomain", ["id": child, "cleanup": "true"])
        #expect(deleted["jobstatus"]?.int == 1, "\(deleted.json)")
        #expect(deleted["jobresult"]?["success"] == .bool(true))
        #expect(await cloud.ids("listDomains", ["listall": "true"]).count == 1)
        #expect(try await cloud.server.core.store.get(VirtualMachine.self, id: vm) == nil)
        #expect(try await cloud.server.core.store.get(Account.self, id: owner.id) == nil)
        #expect(try await cloud.server.core.store.list(Host.self).items.map(\.cpuUsed).reduce(0, +) == 0)
        let (gone, _) = await cloud.call("listZones", keys: owner.keys)
        #expect(gone == 401)
    }

    @Test func emptyDomainDeletesWithoutCleanupAndRootCannotBeDeleted() async throws {
        let cloud = try await TestCloud.make()
        let empty = try await cloud.domain("empty")
        let job = try await cloud.callAndWait("deleteDomain", ["id": empty])
        #expect(job["jobstatus"]?.int == 1)
        let (_, root) = await cloud.call("listDomains")
        let rootId = try #require(root.items.first?["id"]?.stringValue)
        let (status, _) = await cloud.call("deleteDomain", ["id": rootId, "cleanup": "true"])
        #expect(status == 431)
    }
}
