import CloudAPI
import Testing

struct CatalogueAndInfrastructureTests {
    @Test(arguments: [
        ("listZones", "zone", 1), ("listPods", "pod", 1), ("listClusters", "cluster", 1), ("listHosts", "host", 4),
        ("listServiceOfferings", "serviceoffering", 2), ("listDiskOfferings", "diskoffering", 4),
        ("listCapacity", "capacity", 5), ("listAccounts", "account", 2), ("listUsers", "user", 1),
    ])
    func seededInventoryIsListed(command: String, item: String, count: Int) async throws {
        let cloud = try await TestCloud.make()
        let (status, body) = await cloud.call(command)
        #expect(status == 200)
        #expect(body["count"]?.int == count, "\(body.json)")
        #expect(body[item] != nil)
    }

    @Test func pagingKeywordAndNameFilters() async throws {
        let cloud = try await TestCloud.make()
        let (_, page2) = await cloud.call("listHosts", ["page": "2", "pagesize": "3"])
        #expect(page2["count"]?.int == 4)
        #expect(page2.items.count == 1)
        let (_, past) = await cloud.call("listHosts", ["page": "9", "pagesize": "3"])
        #expect(past == .object([("count", .int(4))]))
        let (status, _) = await cloud.call("listHosts", ["pagesize": "3"])
        #expect(status == 431)
        let (_, keyword) = await cloud.call("listServiceOfferings", ["keyword": "medium"])
        #expect(keyword.items.map { $0["name"]?.stringValue } == ["Medium Instance"])
        let (_, none) = await cloud.call("listServiceOfferings", ["name": "nothing"])
        #expect(none == .object([]))
    }

    @Test func templateFilterIsRequiredAndApplied() async throws {
        let cloud = try await TestCloud.make()
        let (status, body) = await cloud.call("listTemplates")
        #expect(status == 431)
        #expect(body["errortext"]?.stringValue?.hasSuffix("missing parameter templatefilter") == true)
        let (_, featured) = await cloud.call("listTemplates", ["templatefilter": "featured"])
        #expect(featured["count"]?.int == 2)
        let (_, own) = await cloud.call("listTemplates", ["templatefilter": "self"])
        #expect(own == .object([]))
    }

    @Test func registerTemplateWalksDownloadStates() async throws {
        let cloud = try await TestCloud.make()
        let zone = try await cloud.first("listZones", "zone")
        let (status, body) = await cloud.call(
            "registerTemplate",
            [
                "name": "tiny", "displaytext": "tiny", "format": "QCOW2", "hypervisor": "Simulator",
                "url": "http://example.com/tiny.qcow2", "zoneid": zone["id"]?.stringValue ?? "",
            ]
        )
        #expect(status == 200)
        #expect(body.items.first?["isready"] == .bool(false))
        let id = try #require(body.items.first?["id"]?.stringValue)
        var ready = false
        for _ in 0..<100 where !ready {
            try await Task.sleep(for: .milliseconds(20))
            let (_, list) = await cloud.call("listTemplates", ["templatefilter": "self", "id": id])
            ready = list.items.first?["isready"] == .bool(true)
        }
        #expect(ready)
    }

    @Test func createServiceOfferingValidates() async throws {
        let cloud = try await TestCloud.make()
        let (status, body) = await cloud.call(
            "createServiceOffering",
            ["name": "Big", "displaytext": "Big", "cpunumber": "4", "memory": "8192"]
        )
        #expect(status == 200)
        #expect(body["serviceoffering"]?["cpunumber"]?.int == 4)
        let (bad, error) = await cloud.call(
            "createServiceOffering",
            ["name": "x", "displaytext": "x", "memory": "lots"]
        )
        #expect(bad == 431)
        #expect(error["errortext"]?.stringValue?.contains("memory") == true)
    }

    @Test func listApisDescribesCommands() async throws {
        let cloud = try await TestCloud.make()
        let (_, body) = await cloud.call("listApis", ["name": "deployVirtualMachine"])
        let api = try #require(body.items.first)
        #expect(api["isasync"] == .bool(true))
        guard case .array(let params)? = api["params"] else { throw CancellationError() }
        let zone = params.first { $0["name"]?.stringValue == "zoneid" }
        #expect(zone?["required"] == .bool(true))
        #expect(zone?["type"]?.stringValue == "uuid")
    }
}
