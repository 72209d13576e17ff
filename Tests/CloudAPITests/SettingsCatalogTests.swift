import CloudAPI
import CloudCore
import CloudModel
import CloudStore
import Orchestrator
import Testing

/// CloudStack's catalogue of global settings (`CloudStackSettingsCatalog`): listed, changed and reset like
/// ZooStack's own settings, validated by their CloudStack type.
struct SettingsCatalogTests {
    @Test func catalogueHoldsCloudStackSettingsOnceEach() throws {
        let entries = CloudStackSettingsCatalog.entries
        #expect(entries.count >= 883)
        #expect(Set(entries.map(\.name)).count == entries.count)
        #expect(Set(GlobalSettings.all.map(\.name)).count == GlobalSettings.all.count)
        #expect(GlobalSettings.all.count > GlobalSettings.own.count + 800)
        let byName = Dictionary(uniqueKeysWithValues: entries.map { ($0.name, $0) })
        let ssl = try #require(byName["consoleproxy.sslEnabled"])
        #expect(ssl.defaultValue == "false")
        #expect(ssl.kind == .boolean)
        let stats = byName["network.loadbalancer.haproxy.stats.visibility"]
        #expect(stats?.defaultValue == "global")
        #expect(stats?.category == "Network")
        #expect(stats?.description.contains("haproxy") == true)
    }

    @Test func ownSettingsWinOverTheirCatalogueEntries() {
        for own in GlobalSettings.own {
            #expect(GlobalSettings.byName[own.name] == own, "\(own.name)")
        }
        #expect(GlobalSettings.byName["consoleproxy.sslEnabled"]?.type == .boolean)
    }

    @Test func listConfigurationsFindsACatalogueSetting() async throws {
        let cloud = try await TestCloud.make()
        let (status, body) = await cloud.call("listConfigurations", ["name": "consoleproxy.sslEnabled"])
        #expect(status == 200, "\(body.json)")
        let setting = try #require(body.items.first { $0["name"]?.stringValue == "consoleproxy.sslEnabled" })
        #expect(setting["value"]?.stringValue == "false")
        #expect(setting["defaultvalue"]?.stringValue == "false")
        #expect(setting["category"]?.stringValue == "Advanced")
        #expect(setting["type"]?.stringValue == "Boolean")
        #expect(setting["isdynamic"] == .bool(false))
        #expect(setting["description"]?.stringValue?.isEmpty == false)
    }

    @Test func updateListAndResetACatalogueSetting() async throws {
        let cloud = try await TestCloud.make()
        let name = "network.loadbalancer.haproxy.stats.visibility"
        let (status, body) = await cloud.call("updateConfiguration", ["name": name, "value": "disabled"])
        #expect(status == 200, "\(body.json)")
        #expect(body["configuration"]?["value"]?.stringValue == "disabled")
        let (_, listed) = await cloud.call("listConfigurations", ["name": name])
        #expect(listed.items.first { $0["name"]?.stringValue == name }?["value"]?.stringValue == "disabled")
        #expect(try await cloud.server.core.store.configurationValues()[name] == "disabled")
        let (reset, resetBody) = await cloud.call("resetConfiguration", ["name": name])
        #expect(reset == 200)
        #expect(resetBody["configuration"]?["value"]?.stringValue == "global")
        #expect(try await cloud.server.core.store.configurationValues()[name] == nil)
        let (_, again) = await cloud.call("listConfigurations", ["name": name])
        #expect(again.items.first { $0["name"]?.stringValue == name }?["value"]?.stringValue == "global")
    }

    @Test(arguments: [
        ("consoleproxy.sslEnabled", "yes", "Please enter either 'true' or 'false'."),
        ("network.loadbalancer.haproxy.max.conn", "many", "parse the integer value for:network.loadbalancer"),
        ("network.loadbalancer.haproxy.max.conn", "2147483648", "[-2147483648-2147483647]"),
        ("zone.vlan.capacity.notificationthreshold", "nan", "parse the float value for: zone.vlan"),
    ])
    func catalogueValuesAreValidatedByType(name: String, value: String, text: String) async throws {
        let cloud = try await TestCloud.make()
        let (status, body) = await cloud.call("updateConfiguration", ["name": name, "value": value])
        #expect(status == 431)
        #expect(body["errortext"]?.stringValue?.contains(text) == true, "\(body.json)")
        #expect(try await cloud.server.core.store.configurationValues()[name] == nil)
    }

    @Test func aLongCatalogueSettingTakesAnyInt64() async throws {
        let long = try #require(CloudStackSettingsCatalog.entries.first { $0.kind == .int64 })
        let cloud = try await TestCloud.make()
        let (status, body) = await cloud.call("updateConfiguration", ["name": long.name, "value": "4294967296"])
        #expect(status == 200, "\(body.json)")
        let (bad, _) = await cloud.call("updateConfiguration", ["name": long.name, "value": "9223372036854775808"])
        #expect(bad == 431)
    }

    @Test func anOwnSettingKeepsItsOwnValidation() async throws {
        let cloud = try await TestCloud.make()
        let (status, body) = await cloud.call("updateConfiguration", ["name": "expunge.delay", "value": "-5"])
        #expect(status == 431)
        #expect(body["errortext"]?.stringValue?.contains("expunge.delay") == true, "\(body.json)")
        // CloudStack's expunge.delay is not dynamic; ZooStack's own definition (which wins) is.
        #expect(GlobalSettings.byName["expunge.delay"]?.isDynamic == true)
    }

    @Test func everySettingIsReachableThroughPagesOfTheDefaultSize() async throws {
        let cloud = try await TestCloud.make()
        let (_, first) = await cloud.call("listConfigurations")
        #expect(first["count"]?.int == GlobalSettings.all.count)
        #expect(first.items.count == 500)
        let (_, second) = await cloud.call("listConfigurations", ["page": "2", "pagesize": "500"])
        #expect(second.items.count == GlobalSettings.all.count - 500)
        let names = (first.items + second.items).compactMap { $0["name"]?.stringValue }
        #expect(Set(names) == Set(GlobalSettings.all.map(\.name)))
    }
}
