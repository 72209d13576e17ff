import CloudAPI
import CloudCore
import CloudModel
import CloudStore
import Testing

struct OfferingCommandTests {
    static func deployParameters(_ cloud: TestCloud, offering: String) async throws -> [String: String] {
        let zone = try await cloud.first("listZones", "zone")
        let template = try await cloud.first("listTemplates", "template", ["templatefilter": "featured"])
        return [
            "zoneid": zone["id"]?.stringValue ?? "", "templateid": template["id"]?.stringValue ?? "",
            "serviceofferingid": offering,
        ]
    }

    @Test func customOfferingNeedsDetailsNamedIn431() async throws {
        let cloud = try await TestCloud.make()
        let (status, created) = await cloud.call("createServiceOffering", ["name": "Custom", "displaytext": "Custom"])
        #expect(status == 200)
        let offering = try #require(created["serviceoffering"])
        #expect(offering["iscustomized"] == .bool(true))
        #expect(offering["cpunumber"] == nil && offering["memory"] == nil)
        let id = try #require(offering["id"]?.stringValue)
        var parameters = try await Self.deployParameters(cloud, offering: id)
        parameters["details[0].cpuNumber"] = "2"
        parameters["details[0].cpuSpeed"] = "1000"
        let (missing, body) = await cloud.call("deployVirtualMachine", parameters)
        #expect(missing == 431)
        #expect(body["errortext"]?.stringValue?.contains("details[0].memory") == true)
        parameters["details[0].memory"] = "2048"
        let job = try await cloud.callAndWait("deployVirtualMachine", parameters)
        #expect(job["jobstatus"]?.int == 1, "\(job.json)")
        let vm = try #require(job["jobresult"]?["virtualmachine"])
        #expect(vm["cpunumber"]?.int == 2 && vm["cpuspeed"]?.int == 1000 && vm["memory"]?.int == 2048)
        let hosts = try await cloud.server.core.store.list(Host.self).items
        #expect(hosts.map(\.cpuUsed).reduce(0, +) == 2000)
        #expect(hosts.map(\.memUsed).reduce(0, +) == 2048 * 1024 * 1024)
    }

    @Test func constrainedOfferingChecksRanges() async throws {
        let cloud = try await TestCloud.make()
        let (status, created) = await cloud.call(
            "createServiceOffering",
            [
                "name": "Constrained", "displaytext": "Constrained", "customized": "true", "cpuspeed": "1000",
                "mincpunumber": "1", "maxcpunumber": "4", "minmemory": "512", "maxmemory": "4096",
            ]
        )
        #expect(status == 200, "\(created.json)")
        let offering = try #require(created["serviceoffering"])
        #expect(offering["cpuspeed"]?.int == 1000)
        #expect(offering["serviceofferingdetails"]?["maxcpunumber"]?.stringValue == "4")
        let id = try #require(offering["id"]?.stringValue)
        var parameters = try await Self.deployParameters(cloud, offering: id)
        parameters["details[0].cpuNumber"] = "8"
        parameters["details[0].memory"] = "1024"
        let (tooMany, body) = await cloud.call("deployVirtualMachine", parameters)
        #expect(tooMany == 431)
        #expect(body["errortext"]?.stringValue == "Invalid cpu cores value, specify a value between 1 and 4")
        parameters["details[0].cpuNumber"] = "2"
        parameters["details[0].memory"] = "8192"
        let (tooBig, _) = await cloud.call("deployVirtualMachine", parameters)
        #expect(tooBig == 431)
        parameters["details[0].memory"] = "1024"
        let job = try await cloud.callAndWait("deployVirtualMachine", parameters)
        #expect(job["jobresult"]?["virtualmachine"]?["cpuspeed"]?.int == 1000)
        let (partial, _) = await cloud.call(
            "createServiceOffering",
            ["name": "Half", "displaytext": "Half", "customized": "true", "mincpunumber": "1"]
        )
        #expect(partial == 431)
    }

    @Test func fixedOfferingFieldsAndUpdateDelete() async throws {
        let cloud = try await TestCloud.make()
        let (_, created) = await cloud.call(
            "createServiceOffering",
            [
                "name": "HA", "displaytext": "HA", "cpunumber": "2", "cpuspeed": "1000", "memory": "1024",
                "offerha": "true", "hosttags": "ssd", "limitcpuuse": "true",
            ]
        )
        let offering = try #require(created["serviceoffering"])
        #expect(offering["offerha"] == .bool(true))
        #expect(offering["limitcpuuse"] == .bool(true))
        #expect(offering["hosttags"]?.stringValue == "ssd")
        #expect(offering["iscustomized"] == .bool(false))
        let id = try #require(offering["id"]?.stringValue)
        let (tooSmall, _) = await cloud.call(
            "createServiceOffering",
            ["name": "Tiny", "displaytext": "Tiny", "cpunumber": "1", "cpuspeed": "100", "memory": "16"]
        )
        #expect(tooSmall == 431)
        let (_, updated) = await cloud.call(
            "updateServiceOffering",
            ["id": id, "name": "HA2", "displaytext": "ha two"]
        )
        #expect(updated["serviceoffering"]?["name"]?.stringValue == "HA2")
        let (deleted, body) = await cloud.call("deleteServiceOffering", ["id": id])
        #expect(deleted == 200)
        #expect(body["success"] == .string("true"))
        let (_, list) = await cloud.call("listServiceOfferings", ["id": id])
        #expect(list == .object([]))
        let parameters = try await Self.deployParameters(cloud, offering: id)
        let (deploy, _) = await cloud.call("deployVirtualMachine", parameters)
        #expect(deploy == 431)
        let keys = try await cloud.makeUser("plain")
        let (userStatus, _) = await cloud.call("deleteServiceOffering", ["id": id], keys: keys)
        #expect(userStatus == 432)
    }

    @Test func diskOfferings() async throws {
        let cloud = try await TestCloud.make()
        let (status, created) = await cloud.call("createDiskOffering", ["name": "Big", "disksize": "100"])
        #expect(status == 200)
        let offering = try #require(created["diskoffering"])
        #expect(offering["disksize"]?.int == 100)
        #expect(offering["iscustomized"] == .bool(false))
        let (_, custom) = await cloud.call("createDiskOffering", ["name": "Any", "customized": "true"])
        #expect(custom["diskoffering"]?["iscustomized"] == .bool(true))
        let (noSize, _) = await cloud.call("createDiskOffering", ["name": "None"])
        #expect(noSize == 431)
        let (zero, _) = await cloud.call("createDiskOffering", ["name": "Zero", "disksize": "0"])
        #expect(zero == 431)
        let id = try #require(offering["id"]?.stringValue)
        let (_, updated) = await cloud.call("updateDiskOffering", ["id": id, "displaytext": "100 GB"])
        #expect(updated["diskoffering"]?["displaytext"]?.stringValue == "100 GB")
        let (deleted, _) = await cloud.call("deleteDiskOffering", ["id": id])
        #expect(deleted == 200)
        let (_, list) = await cloud.call("listDiskOfferings", ["id": id])
        #expect(list == .object([]))
    }

    @Test func customOfferingScalesWithDetails() async throws {
        let cloud = try await TestCloud.make()
        let (_, created) = await cloud.call("createServiceOffering", ["name": "Custom", "displaytext": "Custom"])
        let id = try #require(created["serviceoffering"]?["id"]?.stringValue)
        let deployed = try await cloud.deploy()
        let vm = try #require(deployed["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        let (missing, body) = await cloud.call("scaleVirtualMachine", ["id": vm, "serviceofferingid": id])
        #expect(missing == 431)
        #expect(body["errortext"]?.stringValue?.contains("details[0].cpuNumber") == true)
        let job = try await cloud.callAndWait(
            "scaleVirtualMachine",
            [
                "id": vm, "serviceofferingid": id, "details[0].cpuNumber": "2", "details[0].cpuSpeed": "500",
                "details[0].memory": "1024",
            ]
        )
        #expect(job["jobstatus"]?.int == 1, "\(job.json)")
        let hosts = try await cloud.server.core.store.list(Host.self).items
        #expect(hosts.map(\.cpuUsed).reduce(0, +) == 1000)
    }
}
