import CloudAPI
import CloudCore
import CloudModel
import CloudStore
import Logging
import Orchestrator
import Synchronization
import Testing

/// Issue 11 items 3 and 4: every numeric setting has a range; values outside it are refused by
/// `updateConfiguration`, ignored when found stored or pushed, and nothing computed from a setting traps.
struct SettingRangeTests {
    @Test(arguments: [
        ("cpu.overprovisioning.factor", "1e308"),
        ("cpu.overprovisioning.factor", "inf"),
        ("cpu.overprovisioning.factor", "nan"),
        ("mem.overprovisioning.factor", "1001"),
        ("storage.overprovisioning.factor", "-1"),
        ("default.page.size", "2147483648"),
        ("ping.interval", "86401"),
        ("ping.timeout", "1e300"),
        ("max.account.cpus", "9223372036854775807"),
        ("max.account.primary.storage", "8589934592"),
        ("drs.automatic.interval", "0"),
    ])
    func updateConfigurationRefusesOutOfRangeValues(name: String, value: String) async throws {
        let cloud = try await TestCloud.make()
        let (status, body) = await cloud.call("updateConfiguration", ["name": name, "value": value])
        #expect(status == 431, "\(body.json)")
        #expect(body["cserrorcode"]?.int == 4350)
        #expect(try await cloud.server.core.store.configurationValues()[name] == nil)
    }

    @Test func refusalTextsFollowCloudStack() async throws {
        let cloud = try await TestCloud.make()
        let (_, factor) = await cloud.call(
            "updateConfiguration",
            ["name": "cpu.overprovisioning.factor", "value": "1e308"]
        )
        #expect(
            factor["errortext"]?.stringValue
                == "Please enter a value greater than 0 and at most 1000 for the configuration parameter: cpu.overprovisioning.factor"
        )
        let (_, page) = await cloud.call("updateConfiguration", ["name": "default.page.size", "value": "2147483648"])
        #expect(
            page["errortext"]?.stringValue
                == "The provided value is not valid for this configuration. Please enter an integer in the range: [1-2147483647]"
        )
    }

    /// Every numeric setting at every extreme: refused or applied, and listCapacity, the capacity alert check and a
    /// deploy still answer.
    @Test func extremeSettingsNeverBreakCapacityOrPlacement() async throws {
        let cloud = try await TestCloud.make()
        let numeric = GlobalSettings.own.filter {
            switch $0.type {
            case .number, .decimal, .anyDecimal, .range: true
            case .boolean, .string, .select: false
            }
        }
        let checker = CapacityAlertChecker(
            store: cloud.server.core.store,
            configuration: cloud.server.configuration,
            alerts: cloud.server.alerts
        )
        for setting in numeric {
            for value in NumericFuzzTests.extremes {
                let (status, body) = await cloud.call("updateConfiguration", ["name": setting.name, "value": value])
                #expect([200, 431].contains(status), "\(setting.name)=\(value): \(body.json)")
                #expect(await cloud.call("listCapacity").status == 200)
                _ = try await checker.check()
            }
            let (reset, _) = await cloud.call("resetConfiguration", ["name": setting.name])
            #expect(reset == 200)
        }
        _ = try await cloud.deploy()
    }

    @Test func aStoredOutOfRangeValueIsIgnoredWithALogLineAndTheDefaultUsed() async throws {
        let cloud = try await TestCloud.make()
        let store = cloud.server.core.store
        // Written behind the API's back (as an earlier version accepted it), on the setting and on the host rows.
        try await store.setConfiguration(name: "cpu.overprovisioning.factor", value: "1e308")
        try await store.setConfiguration(name: "default.page.size", value: "0")
        try await store.setHostOverprovisioning(cpu: 1e308, memory: .infinity)
        let lines = LogCapture()
        let service = ConfigurationService(store: store, logger: Logger(label: "test") { _ in lines })
        let snapshot = try await service.reload()
        #expect(snapshot.double("cpu.overprovisioning.factor") == 1.0)
        #expect(snapshot.int("default.page.size") == 500)
        #expect(snapshot.placement.cpuOverprovisioningFactor == 1.0)
        #expect(Set(snapshot.rejected.keys) == ["cpu.overprovisioning.factor", "default.page.size"])
        #expect(lines.messages.filter { $0.contains("ignoring an invalid stored value") }.count == 2)
        // The host rows, whose factor the capacity compare-and-set checks, got the default back.
        #expect(try await store.list(Host.self).items.allSatisfy { $0.cpuOverprovisioning == 1.0 })
        // The server's own service reads the same rows: lists keep their default page size, capacity answers.
        try await cloud.server.configuration.reload()
        #expect(await cloud.call("listCapacity").status == 200)
        let checker = CapacityAlertChecker(
            store: store,
            configuration: cloud.server.configuration,
            alerts: cloud.server.alerts
        )
        _ = try await checker.check()
        #expect(await cloud.call("listZones").status == 200)
    }

    @Test func aPushedInvalidValueIsLoggedAndIgnored() async throws {
        let cloud = try await TestCloud.make()
        let lines = LogCapture()
        let service = ConfigurationService(store: cloud.server.core.store, logger: Logger(label: "test") { _ in lines })
        _ = try await service.snapshot()
        #expect(service.apply(name: "cpu.overprovisioning.factor", value: "2.5"))
        #expect(!service.apply(name: "cpu.overprovisioning.factor", value: "1e308"))
        #expect(!service.apply(name: "default.page.size", value: "0"))
        #expect(!service.apply(name: "no.such.setting", value: "1"))
        #expect(service.cached.double("cpu.overprovisioning.factor") == 2.5)
        #expect(service.cached.int("default.page.size") == 500)
        #expect(lines.messages.filter { $0.hasPrefix("ignoring") }.count == 3)
        // A pushed value is normalised as updateConfiguration normalises it.
        #expect(service.apply(name: "vm.allocation.algorithm", value: " FirstFit "))
        #expect(service.cached.value("vm.allocation.algorithm") == "firstfit")
    }
}

/// A log handler that keeps the messages it receives.
final class LogCapture: LogHandler, Sendable {
    private let lines = Mutex<[String]>([])

    var messages: [String] { self.lines.withLock { $0 } }

    var metadata: Logger.Metadata {
        get { [:] }
        set {}
    }

    var logLevel: Logger.Level {
        get { .trace }
        set {}
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { nil }
        set {}
    }

    func log(event: LogEvent) {
        self.lines.withLock { $0.append("\(event.message)") }
    }
}
