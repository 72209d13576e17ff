import CloudAPI
import CloudCore
import CloudModel
import Foundation
import Orchestrator
import Testing

/// Issue 11 item 1: every command in the registry, called as every role with extreme numbers in each of its
/// numeric parameters (and the string parameters handlers read as numbers or dates), answers with a CloudStack
/// envelope. An arithmetic trap would kill this test process, so the test completing is the survival check.
struct NumericFuzzTests {
    /// 0, -1, 2^31, 2^33, 2^53, 2^63-1, -2^63 and 1e308.
    static let extremes = [
        "0", "-1", "2147483648", "8589934592", "9007199254740992", "9223372036854775807", "-9223372036854775808",
        "1e308",
    ]
    /// Date parameters get years far outside the calendar.
    static let extremeDates = ["9223372036854775807-01-01", "-9223372036854775808-12-31 23:59:59", "99999-1-1"]
    /// String parameters that handlers parse as numbers (besides the declared `integer` and `long` ones).
    static let numericStrings: Set<String> = ["size", "max", "value", "deviceid", "rootdisksize", "count"]
    /// The numeric fields of `details` maps (custom offerings, scaling).
    static let detailFields = ["cpuNumber", "cpuSpeed", "memory", "rootdisksize"]
    /// Commands that remove the fixture or the callers' keys: run after all others of a role.
    static let destructivePrefixes = ["delete", "destroy", "expunge", "remove", "disable", "lock", "release", "revoke"]
    static let destructiveNames: Set<String> = ["registerUserKeys", "logout", "updateUser", "updateAccount"]

    struct Fixture {
        let cloud: TestCloud
        /// Parameter name → a real id of the seeded cloud.
        var ids: [String: String]
        /// Entity word in a command's name → the id its `id` parameter means.
        var idsByNoun: [(noun: String, id: String)]
        var roles: [(name: String, keys: (String, String))]
    }

    static func fixture() async throws -> Fixture {
        let cloud = try await TestCloud.make()
        let domain = try await cloud.domain("fuzz")
        let admin = try await cloud.account("fuzzadmin", domainId: domain, type: 2)
        let user = try await cloud.account("fuzzuser", domainId: domain)
        let (_, custom) = await cloud.call(
            "createServiceOffering",
            ["name": "fuzz-custom", "displaytext": "custom", "customized": "true"]
        )
        let customOffering = try #require(custom["serviceoffering"]?["id"]?.stringValue)
        let (_, disk) = await cloud.call("createDiskOffering", ["name": "fuzz-disk", "customized": "true"])
        let customDisk = try #require(disk["diskoffering"]?["id"]?.stringValue)
        let vmJob = try await cloud.deploy(keys: user.keys)
        let vm = try #require(vmJob["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        let rootVolume = try #require(
            await cloud.call("listVolumes", ["virtualmachineid": vm], keys: user.keys).body.items.first?["id"]?
                .stringValue
        )
        let zone = try await cloud.first("listZones", "zone")["id"]?.stringValue ?? ""
        func first(_ command: String, _ item: String, _ parameters: [String: String] = [:]) async -> String {
            (try? await cloud.first(command, item, parameters)["id"]?.stringValue) ?? UUID().uuidString.lowercased()
        }
        let template = await first("listTemplates", "template", ["templatefilter": "featured"])
        let host = await first("listHosts", "host")
        let pod = await first("listPods", "pod")
        let cluster = await first("listClusters", "cluster")
        let pool = await first("listStoragePools", "storagepool")
        let network = await first("listNetworks", "network", ["listall": "true"])
        let ids: [String: String] = [
            "zoneid": zone, "podid": pod, "clusterid": cluster, "hostid": host, "templateid": template,
            "serviceofferingid": customOffering, "diskofferingid": customDisk, "virtualmachineid": vm,
            "volumeid": rootVolume, "networkid": network, "domainid": domain, "accountid": user.id,
            "userid": user.userId, "storageid": pool, "poolid": pool, "isoid": template,
        ]
        let nouns: [(String, String)] = [
            ("VirtualMachine", vm), ("Volume", rootVolume), ("ServiceOffering", customOffering),
            ("DiskOffering", customDisk), ("Template", template), ("Iso", template), ("Host", host),
            ("StoragePool", pool), ("Cluster", cluster), ("Pod", pod), ("Zone", zone), ("Network", network),
            ("Domain", domain), ("Account", user.id), ("User", user.userId),
        ]
        return Fixture(
            cloud: cloud,
            ids: ids,
            idsByNoun: nouns,
            roles: [
                ("user", user.keys), ("domain admin", admin.keys),
                ("root admin", (cloud.admin.apikey, cloud.admin.secretkey)),
            ]
        )
    }

    struct Command {
        let name: String
        let parameters: [(name: String, type: String, required: Bool)]

        var isDestructive: Bool {
            NumericFuzzTests.destructiveNames.contains(self.name)
                || NumericFuzzTests.destructivePrefixes.contains { self.name.hasPrefix($0) }
        }
    }

    /// The commands a role sees, from listApis.
    static func commands(_ cloud: TestCloud, keys: (String, String)) async -> [Command] {
        let (_, body) = await cloud.call("listApis", [:], keys: keys)
        let commands = body.items.compactMap { api -> Command? in
            guard let name = api["name"]?.stringValue, case .array(let parameters)? = api["params"] else { return nil }
            return Command(
                name: name,
                parameters: parameters.compactMap { parameter in
                    guard let name = parameter["name"]?.stringValue, let type = parameter["type"]?.stringValue else {
                        return nil
                    }
                    let required: Bool = if case .bool(true)? = parameter["required"] { true } else { false }
                    return (name, type, required)
                }
            )
        }
        return commands.filter { !$0.isDestructive }.sorted { $0.name < $1.name }
            + commands.filter(\.isDestructive).sorted {
                // New keys for the caller end its calls: those go last.
                ($0.name == "registerUserKeys" ? 1 : 0, $0.name) < ($1.name == "registerUserKeys" ? 1 : 0, $1.name)
            }
    }

    /// A plausible value for a parameter the fuzz does not vary.
    static func plausible(
        _ parameter: (name: String, type: String, required: Bool),
        command: String,
        _ fixture: Fixture
    ) -> [String: String] {
        let name = parameter.name
        switch parameter.type {
        case "uuid":
            if name == "id", let match = fixture.idsByNoun.first(where: { command.contains($0.noun) }) {
                return [name: match.id]
            }
            return [name: fixture.ids[name] ?? UUID().uuidString.lowercased()]
        case "integer", "long": return [name: "1"]
        case "boolean": return [name: "false"]
        case "map" where name == "details":
            // A custom offering's sizing, so that a variation of one field reaches the arithmetic.
            return ["details[0].cpuNumber": "1", "details[0].cpuSpeed": "500", "details[0].memory": "512"]
        case "map": return ["\(name)[0].key": "fuzz", "\(name)[0].value": "1"]
        case "list": return [name: fixture.ids[String(name.dropLast())] ?? "fuzz"]
        default: return [name: name == "name" ? "fuzz\(command.count)" : "fuzz"]
        }
    }

    /// The variations of one command: each numeric parameter (and numeric detail field) set to each extreme.
    static func variations(_ command: Command) -> [[String: String]] {
        var variations: [[String: String]] = []
        for parameter in command.parameters {
            let name = parameter.name
            if ["integer", "long"].contains(parameter.type) || Self.numericStrings.contains(name) {
                variations += Self.extremes.map { [name: $0] }
            } else if name.hasSuffix("date") {
                variations += Self.extremeDates.map { [name: $0] }
            } else if parameter.type == "map" && name == "details" {
                for field in Self.detailFields {
                    variations += Self.extremes.map { ["details[0].\(field)": $0] }
                }
            }
        }
        return variations
    }

    @Test(.timeLimit(.minutes(10)))
    func everyCommandAnswersExtremeNumbersAsEveryRole() async throws {
        let fixture = try await Self.fixture()
        let cloud = fixture.cloud
        let statuses: Set<Int> = [200, 401, 405, 431, 432, 530, 531, 533, 534, 535, 536, 537]
        var calls = 0
        var internalErrors: [String] = []
        for (role, keys) in fixture.roles {
            for command in await Self.commands(cloud, keys: keys) {
                var required: [String: String] = [:]
                var companions: [String: String] = [:]
                for parameter in command.parameters {
                    let value = Self.plausible(parameter, command: command.name, fixture)
                    if parameter.required {
                        required.merge(value) { old, _ in old }
                    } else if ["zoneid", "diskofferingid", "details"].contains(parameter.name) {
                        companions.merge(value) { old, _ in old }
                    }
                }
                for variation in Self.variations(command) {
                    for base in [required, required.merging(companions) { old, _ in old }] {
                        let parameters = base.merging(variation) { _, new in new }
                        let (status, body) = await cloud.call(command.name, parameters, keys: keys)
                        calls += 1
                        // A CloudStack envelope: a 200 answer, or an error whose errorcode is the status.
                        #expect(
                            statuses.contains(status) && (status == 200 || body["errorcode"]?.int == status),
                            "\(role) \(command.name) \(variation): \(status) \(body.json)"
                        )
                        if status == 530 {
                            internalErrors.append("\(role) \(command.name) \(variation): \(body.json)")
                        }
                    }
                }
                await cloud.server.jobs.drain()
            }
        }
        // The process survived every call; an internal error answering a bad number is a bug too.
        #expect(calls > 1000, "the fuzz reached \(calls) calls")
        #expect(internalErrors.isEmpty, "\(internalErrors.joined(separator: "\n"))")
    }
}
