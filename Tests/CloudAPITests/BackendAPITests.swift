import CloudAPI
import CloudModel
import CloudStore
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
        #expect(try await cloud.server.store.list(Host.self).items.map(\.cpuUsed).reduce(0, +) == 0)
        let started = try await cloud.callAndWait("startVirtualMachine", ["id": id])
        #expect(started["jobresult"]?["virtualmachine"]?["state"]?.stringValue == "Running")
        #expect(try await cloud.server.store.list(Host.self).items.map(\.cpuUsed).reduce(0, +) == 500)
        let (illegal, _) = await cloud.call("startVirtualMachine", ["id": id])
        #expect(illegal == 431)
        let destroyed = try await cloud.callAndWait("destroyVirtualMachine", ["id": id])
        #expect(destroyed["jobresult"]?["virtualmachine"]?["state"]?.stringValue == "Destroyed")
        let expunged = try await cloud.callAndWait("expungeVirtualMachine", ["id": id])
        #expect(expunged["jobresult"]?["success"] == .bool(true))
        let (_, list) = await cloud.call("listVirtualMachines", ["id": id])
        #expect(list == .object([]))
        #expect(try await cloud.server.store.nics(of: id).isEmpty)
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

    @Test(arguments: TestBackend.allCases)
    func concurrentDeploysNeverOvercommitOrShareAnAddress(backend: TestBackend) async throws {
        let cloud = try await TestCloud.make(backend: backend)
        let zone = try await cloud.first("listZones", "zone")
        let template = try await cloud.first("listTemplates", "template", ["templatefilter": "featured"])
        let offering = try await cloud.first("listServiceOfferings", "serviceoffering", ["name": "Medium Instance"])
        let parameters = [
            "zoneid": zone["id"]?.stringValue ?? "", "templateid": template["id"]?.stringValue ?? "",
            "serviceofferingid": offering["id"]?.stringValue ?? "",
        ]
        let (set, _) = await cloud.call("updateConfiguration", ["name": "cluster.threshold.enabled", "value": "false"])
        #expect(set == 200)
        // Memory caps each of the 4 hosts at 8 Medium Instances: 32 of 40 fit.
        let statuses = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<40 {
                group.addTask { await cloud.call("deployVirtualMachine", parameters).status }
            }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.allSatisfy { $0 == 200 })
        await cloud.server.jobs.drain()
        let (_, running) = await cloud.call("listVirtualMachines", ["state": "Running"])
        #expect(running["count"]?.int == 32)
        let addresses = running.items.flatMap { vm -> [String] in
            guard case .array(let nics)? = vm["nic"] else { return [] }
            return nics.compactMap { $0["ipaddress"]?.stringValue }
        }
        #expect(Set(addresses).count == 32)
        let hosts = try await cloud.server.store.list(Host.self).items
        #expect(hosts.allSatisfy { $0.memUsed <= $0.memory })
    }
}
