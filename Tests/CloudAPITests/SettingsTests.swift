import CloudAPI
import CloudCore
import CloudModel
import CloudStore
import Orchestrator
import Synchronization
import Testing

struct SettingsTests {
    @Test func listConfigurationsShowsDefaultsWithCloudStackFields() async throws {
        let cloud = try await TestCloud.make()
        let (status, body) = await cloud.call("listConfigurations", ["name": "vm.allocation.algorithm"])
        #expect(status == 200)
        let setting = try #require(body.items.first)
        #expect(setting["name"]?.stringValue == "vm.allocation.algorithm")
        #expect(setting["value"]?.stringValue == "random")
        #expect(setting["defaultvalue"]?.stringValue == "random")
        #expect(setting["category"]?.stringValue == "Advanced")
        #expect(setting["scope"]?.stringValue == "global")
        #expect(setting["isdynamic"] == .bool(true))
        #expect(setting["type"]?.stringValue == "Select")
        #expect(setting["options"]?.stringValue?.contains("firstfitleastconsumed") == true)
        #expect(setting["component"] != nil && setting["description"] != nil)
    }

    @Test func listConfigurationsFiltersByCategoryKeywordAndPages() async throws {
        let cloud = try await TestCloud.make()
        let (_, drs) = await cloud.call("listConfigurations", ["name": "drs."])
        #expect(drs["count"]?.int == GlobalSettings.all.filter { $0.name.contains("drs.") }.count, "\(drs.json)")
        let drsNames = Set(drs.items.compactMap { $0["name"]?.stringValue })
        #expect(drsNames.isSuperset(of: GlobalSettings.own.map(\.name).filter { $0.contains("drs.") }))
        let (_, alert) = await cloud.call("listConfigurations", ["category": "Alert"])
        #expect(alert.items.allSatisfy { $0["category"]?.stringValue == "Alert" })
        #expect(alert.items.contains { $0["name"]?.stringValue == "cluster.cpu.allocated.capacity.disablethreshold" })
        let (_, keyword) = await cloud.call("listConfigurations", ["keyword": "expunge"])
        let expunge = Set(keyword.items.compactMap { $0["name"]?.stringValue })
        #expect(expunge.isSuperset(of: ["expunge.delay", "expunge.interval"]))
        #expect(expunge.allSatisfy { GlobalSettings.byName[$0] != nil })
        let (_, page) = await cloud.call("listConfigurations", ["page": "2", "pagesize": "5"])
        #expect(page.items.count == 5)
        #expect(page["count"]?.int == GlobalSettings.all.count)
    }

    @Test func updateConfigurationStoresValidatesAndIsListed() async throws {
        let cloud = try await TestCloud.make()
        let (status, body) = await cloud.call(
            "updateConfiguration",
            ["name": "vm.allocation.algorithm", "value": "FirstFit"]
        )
        #expect(status == 200, "\(body.json)")
        #expect(body["configuration"]?["value"]?.stringValue == "firstfit")
        let (_, listed) = await cloud.call("listConfigurations", ["name": "vm.allocation.algorithm"])
        #expect(listed.items.first?["value"]?.stringValue == "firstfit")
        #expect(try await cloud.server.core.store.configurationValues()["vm.allocation.algorithm"] == "firstfit")
        let (reset, resetBody) = await cloud.call("resetConfiguration", ["name": "vm.allocation.algorithm"])
        #expect(reset == 200)
        #expect(resetBody["configuration"]?["value"]?.stringValue == "random")
        #expect(try await cloud.server.core.store.configurationValues()["vm.allocation.algorithm"] == nil)
    }

    @Test(arguments: [
        ("no.such.setting", "1", "Config parameter with name no.such.setting doesn't exist"),
        ("vm.allocation.algorithm", "best", "Options are: [random,firstfit,userdispersing"),
        ("cpu.overprovisioning.factor", "lots", "There was an error trying to parse the float value for: cpu"),
        ("cpu.overprovisioning.factor", "0", "cpu.overprovisioning.factor should be greater than 0"),
        ("cluster.threshold.enabled", "yes", "Please enter either 'true' or 'false'."),
        ("default.page.size", "0", "Please enter a positive value for the configuration parameter:default.page.size"),
        ("expunge.delay", "soon", "There was an error trying to parse the integer value for:expunge.delay"),
        ("drs.imbalance", "1.5", "Please enter a value between 0 and 1"),
    ])
    func updateConfigurationRefusesBadInput(name: String, value: String, text: String) async throws {
        let cloud = try await TestCloud.make()
        let (status, body) = await cloud.call("updateConfiguration", ["name": name, "value": value])
        #expect(status == 431)
        #expect(body["cserrorcode"]?.int == 4350)
        #expect(body["errortext"]?.stringValue?.contains(text) == true, "\(body.json)")
    }

    @Test func onlyRootAdminsSeeOrChangeSettings() async throws {
        let cloud = try await TestCloud.make()
        let user = try await cloud.makeUser("settings-user")
        let (listed, _) = await cloud.call("listConfigurations", keys: user)
        #expect(listed == 432)
        let (updated, _) = await cloud.call(
            "updateConfiguration",
            ["name": "expunge.delay", "value": "1"],
            keys: user
        )
        #expect(updated == 432)
        #expect(try await cloud.server.core.store.configurationValues()["expunge.delay"] == nil)
    }

    @Test func serviceTellsObserversAndAppliesPushedChanges() async throws {
        let cloud = try await TestCloud.make()
        let service = cloud.server.configuration
        let seen = SeenChanges()
        service.observe { name, value in seen.add(name, value) }
        try await service.update(name: "drs.metric", value: "cpu")
        service.apply(name: "cpu.overprovisioning.factor", value: "3")
        #expect(seen.all == ["drs.metric=cpu", "cpu.overprovisioning.factor=3"])
        let snapshot = try await service.snapshot()
        #expect(snapshot.value("drs.metric") == "cpu")
        #expect(snapshot.placement.cpuOverprovisioningFactor == 3)
        service.apply(name: "cpu.overprovisioning.factor", value: nil)
        #expect(try await service.snapshot().placement.cpuOverprovisioningFactor == 1)
    }

    @Test func defaultPageSizeSettingBoundsListPages() async throws {
        let cloud = try await TestCloud.make()
        let (status, _) = await cloud.call("updateConfiguration", ["name": "default.page.size", "value": "3"])
        #expect(status == 200)
        let (_, hosts) = await cloud.call("listHosts")
        #expect(hosts["count"]?.int == 4)
        #expect(hosts.items.count == 3)
        let (tooBig, body) = await cloud.call("listHosts", ["page": "1", "pagesize": "4"])
        #expect(tooBig == 431)
        #expect(body["errortext"]?.stringValue?.contains("3") == true)
    }
}

/// Changes an observer saw, in order.
final class SeenChanges: Sendable {
    private let changes = Mutex<[String]>([])

    func add(_ name: String, _ value: String) {
        self.changes.withLock { $0.append("\(name)=\(value)") }
    }

    var all: [String] { self.changes.withLock { $0 } }
}
