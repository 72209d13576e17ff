import CloudAPI
import CloudCore
import CloudModel
import CloudStore
import CloudTestSupport
import Orchestrator
import Testing

/// API-level behaviour on both databases (the whole suite also runs on PostgreSQL with
/// `ZOOSTACK_TEST_BACKEND=postgres`).
struct BackendAPITests {
    @Test(arguments: TestBackend.allCases)
    func lifecycleDeployStopStartDestroyExpunge(backend: TestBackend) async throws {
        let cloud = try await TestCloud.make(backend: backend)
        let deployed = try await cloud.deploy()
        #expect(deployed["jobstatus"]?.int == 1, "\(deployed.json)")
        let vm = try #require(deployed["jobresult"]?["virtualmachine"])
        let id = try #require(vm["id"]?.stringValue)
        guard case .array(let nics)? = vm["nic"] else { throw CancellationError() }
        #expect(nics.first?["ipaddress"]?.stringValue == "10.1.1.2")

        let stopped = try await cloud.callAndWait("stopVirtualMachine", ["id": id])
        #expect(stopped["jobresult"]?["virtualmachine"]?["state"]?.stringValue == "Stopped")
        #expect(try await cloud.server.core.store.list(Host.self).items.map(\.cpuUsed).reduce(0, +) == 0)
        let started = try await cloud.callAndWait("startVirtualMachine", ["id": id])
        #expect(started["jobresult"]?["virtualmachine"]?["state"]?.stringValue == "Running")
        #expect(try await cloud.server.core.store.list(Host.self).items.map(\.cpuUsed).reduce(0, +) == 500)
        let (illegal, _) = await cloud.call("startVirtualMachine", ["id": id])
        #expect(illegal == 431)
        let destroyed = try await cloud.callAndWait("destroyVirtualMachine", ["id": id])
        #expect(destroyed["jobresult"]?["virtualmachine"]?["state"]?.stringValue == "Destroyed")
        let expunged = try await cloud.callAndWait("expungeVirtualMachine", ["id": id])
        #expect(expunged["jobresult"]?["success"] == .bool(true))
        let (_, list) = await cloud.call("listVirtualMachines", ["id": id])
        #expect(list == .object([]))
        #expect(try await cloud.server.core.store.nics(of: id).isEmpty)
    }

    @Test(arguments: TestBackend.allCases)
    func listingPagesSearchesAndFiltersByTag(backend: TestBackend) async throws {
        let cloud = try await TestCloud.make(backend: backend)
        var ids: [String] = []
        for index in 0..<5 {
            let job = try await cloud.deploy(extra: ["name": "Web-\(index)", "displayname": "Web \(index)"])
            ids.append(try #require(job["jobresult"]?["virtualmachine"]?["id"]?.stringValue))
        }
        _ = try await cloud.deploy(extra: ["name": "db-0"])
        // Insertion order, paged.
        let (_, page) = await cloud.call("listVirtualMachines", ["page": "2", "pagesize": "2"])
        #expect(page["count"]?.int == 6)
        #expect(page.items.compactMap { $0["id"]?.stringValue } == Array(ids[2..<4]))
        // Keyword search ignores case on both databases.
        let (_, web) = await cloud.call("listVirtualMachines", ["keyword": "wEB"])
        #expect(web["count"]?.int == 5)
        // Tags.
        let tagged = try await cloud.callAndWait(
            "createTags",
            ["resourceids": ids[1], "resourcetype": "UserVm", "tags[0].key": "env", "tags[0].value": "prod"]
        )
        #expect(tagged["jobstatus"]?.int == 1, "\(tagged.json)")
        let (_, prod) = await cloud.call("listVirtualMachines", ["tags[0].key": "env", "tags[0].value": "prod"])
        #expect(prod.items.compactMap { $0["id"]?.stringValue } == [ids[1]])
        let (_, tags) = await cloud.call("listTags", ["resourceid": ids[1]])
        #expect(tags.items.first?["value"]?.stringValue == "prod")
        let duplicate = try await cloud.callAndWait(
            "createTags",
            ["resourceids": ids[1], "resourcetype": "UserVm", "tags[0].key": "env", "tags[0].value": "dev"]
        )
        #expect(duplicate["jobstatus"]?.int == 2)
    }
}
