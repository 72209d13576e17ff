import CloudAPI
import CloudModel
import CloudStore
import Orchestrator
import Testing

/// Issue 11 items 1 and 9: numbers out of range and strings over their length are 431s naming the parameter;
/// VM names are host names, unique in their networks.
struct InputValidationTests {
    static func zoneId(_ cloud: TestCloud) async throws -> String {
        try #require(try await cloud.first("listZones", "zone")["id"]?.stringValue)
    }

    @Test func hugeVolumeSizesFromAPlainUserAre431NotACrash() async throws {
        let cloud = try await TestCloud.make()
        let user = try await cloud.account("sizer")
        let zone = try await Self.zoneId(cloud)
        let (_, disk) = await cloud.call("createDiskOffering", ["name": "custom", "customized": "true"])
        let offering = try #require(disk["diskoffering"]?["id"]?.stringValue)
        let (status, body) = await cloud.call(
            "createVolume",
            ["zoneid": zone, "diskofferingid": offering, "size": "9000000000"],
            keys: user.keys
        )
        #expect(status == 431, "\(body.json)")
        #expect(body["cserrorcode"]?.int == 4350)
        #expect(
            body["errortext"]?.stringValue == "Volume size: 9000000000GB is out of allowed range. Max: 1024 Min:1"
        )

        let vm = try #require(try await cloud.deploy(keys: user.keys)["jobresult"]?["virtualmachine"]?["id"])
        let root = try #require(
            await cloud.call("listVolumes", ["virtualmachineid": vm.stringValue ?? ""], keys: user.keys).body.items
                .first?["id"]?.stringValue
        )
        for size in ["8589934592", "9223372036854775807", "1025"] {
            let (resize, resizeBody) = await cloud.call("resizeVolume", ["id": root, "size": size], keys: user.keys)
            #expect(resize == 431, "\(size): \(resizeBody.json)")
            #expect(resizeBody["errortext"]?.stringValue?.hasPrefix("Volume size: \(size)GB is out of allowed") == true)
        }
        // The bounds are settings, themselves bounded so that a size in bytes always fits.
        let (raised, _) = await cloud.call(
            "updateConfiguration",
            ["name": "custom.diskoffering.size.max", "value": "8589934592"]
        )
        #expect(raised == 431)
    }

    @Test func outOfRangeOfferingsAndLimitsAre431() async throws {
        let cloud = try await TestCloud.make()
        let (disk, diskBody) = await cloud.call("createDiskOffering", ["name": "huge", "disksize": "9000000000"])
        #expect(disk == 431)
        #expect(diskBody["errortext"]?.stringValue == "The maximum size for a disk is 2000 Gb.")
        _ = try await cloud.account("limited")
        let root = try #require(try await cloud.first("listDomains", "domain")["id"]?.stringValue)
        let (limit, limitBody) = await cloud.call(
            "updateResourceLimit",
            ["account": "limited", "domainid": root, "resourcetype": "10", "max": "9223372036854775807"]
        )
        #expect(limit == 431, "\(limitBody.json)")
        #expect(limitBody["errortext"]?.stringValue?.contains("Invalid parameter max") == true)
        let (date, dateBody) = await cloud.call("listEvents", ["startdate": "9223372036854775807-01-01"])
        #expect(date == 431, "\(dateBody.json)")
    }

    @Test func stringsOverTheirLengthAre431NamingTheParameter() async throws {
        let cloud = try await TestCloud.make()
        let long = String(repeating: "a", count: 256)
        let (keyword, keywordBody) = await cloud.call(
            "listVirtualMachines",
            ["keyword": String(repeating: "%_", count: 30000)]
        )
        #expect(keyword == 431, "\(keywordBody.json)")
        #expect(keywordBody["errortext"]?.stringValue == "Value greater than max allowed length 255 for param: keyword")
        let (display, displayBody) = await cloud.call("createDomain", ["name": long])
        #expect(display == 431)
        #expect(displayBody["errortext"]?.stringValue == "Value greater than max allowed length 255 for param: name")
        let vm = try #require(try await cloud.deploy()["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        let (tag, tagBody) = await cloud.call(
            "createTags",
            ["resourcetype": "UserVm", "resourceids": vm, "tags[0].key": "k", "tags[0].value": long]
        )
        #expect(tag == 431)
        #expect(tagBody["errortext"]?.stringValue == "Value greater than max allowed length 255 for param: tags")
        let (tagKey, _) = await cloud.call(
            "createTags",
            ["resourcetype": "UserVm", "resourceids": vm, "tags[0].key": long, "tags[0].value": "v"]
        )
        #expect(tagKey == 431)
        // Templates keep 4096 characters of display text, as CloudStack's RegisterTemplateCmd; listApis says so.
        let (_, apis) = await cloud.call("listApis", ["name": "registerTemplate"])
        let parameters = apis.items.first?["params"]
        guard case .array(let items)? = parameters else { throw CancellationError() }
        #expect(items.first { $0["name"]?.stringValue == "displaytext" }?["length"]?.int == 4096)
        #expect(items.first { $0["name"]?.stringValue == "name" }?["length"]?.int == 255)
    }

    /// Every string and list parameter of every command (as the root admin sees them): one character over the
    /// length listApis reports is a 431 naming the parameter, whatever the command.
    @Test func everyStringParameterOfTheRegistryHasItsLengthLimit() async throws {
        let fixture = try await NumericFuzzTests.fixture()
        let cloud = fixture.cloud
        let (_, apis) = await cloud.call("listApis")
        var checked = 0
        for api in apis.items {
            guard let command = api["name"]?.stringValue, case .array(let parameters)? = api["params"] else { continue }
            let described = parameters.compactMap { parameter -> (name: String, type: String, required: Bool)? in
                guard let name = parameter["name"]?.stringValue, let type = parameter["type"]?.stringValue else {
                    return nil
                }
                return (name, type, parameter["required"] == .bool(true))
            }
            var base: [String: String] = [:]
            for parameter in described where parameter.required {
                base.merge(NumericFuzzTests.plausible(parameter, command: command, fixture)) { old, _ in old }
            }
            for parameter in parameters where ["string", "list"].contains(parameter["type"]?.stringValue) {
                guard let name = parameter["name"]?.stringValue, let length = parameter["length"]?.int else { continue }
                let (status, body) = await cloud.call(
                    command,
                    base.merging([name: String(repeating: "x", count: length + 1)]) { _, new in new }
                )
                #expect(status == 431, "\(command) \(name): \(body.json)")
                #expect(
                    body["errortext"]?.stringValue
                        == "Value greater than max allowed length \(length) for param: \(name)",
                    "\(command) \(name): \(body.json)"
                )
                checked += 1
            }
        }
        #expect(checked > 300, "\(checked) parameters checked")
    }

    @Test(arguments: ["-web", "web-", "1web", "we_b", "wéb", String(repeating: "a", count: 64)])
    func deployRefusesNamesThatAreNotHostNames(name: String) async throws {
        let cloud = try await TestCloud.make()
        let zone = try await Self.zoneId(cloud)
        let template = try await cloud.first("listTemplates", "template", ["templatefilter": "featured"])
        let offering = try await cloud.first("listServiceOfferings", "serviceoffering", ["name": "Small Instance"])
        let (status, body) = await cloud.call(
            "deployVirtualMachine",
            [
                "zoneid": zone, "templateid": template["id"]?.stringValue ?? "",
                "serviceofferingid": offering["id"]?.stringValue ?? "", "name": name,
            ]
        )
        #expect(status == 431, "\(body.json)")
        #expect(body["errortext"]?.stringValue?.hasPrefix("Invalid name. Vm name can contain ASCII letters") == true)
    }

    @Test func vmNamesAreUniqueInTheirNetwork() async throws {
        let cloud = try await TestCloud.make()
        let first = try await cloud.deploy(extra: ["name": "web-1", "displayname": "Web One"])
        #expect(first["jobresult"]?["virtualmachine"]?["name"]?.stringValue == "web-1")
        let zone = try await Self.zoneId(cloud)
        let template = try await cloud.first("listTemplates", "template", ["templatefilter": "featured"])
        let offering = try await cloud.first("listServiceOfferings", "serviceoffering", ["name": "Small Instance"])
        let (status, body) = await cloud.call(
            "deployVirtualMachine",
            [
                "zoneid": zone, "templateid": template["id"]?.stringValue ?? "",
                "serviceofferingid": offering["id"]?.stringValue ?? "", "name": "web-1",
            ]
        )
        #expect(status == 431, "\(body.json)")
        #expect(
            body["errortext"]?.stringValue?.hasPrefix(
                "The vm with hostName web-1 already exists in the network domain: "
            ) == true
        )
        // Renaming another VM to a taken name is refused the same way.
        let other = try #require(try await cloud.deploy()["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        _ = try await cloud.callAndWait("stopVirtualMachine", ["id": other])
        let (rename, renameBody) = await cloud.call("updateVirtualMachine", ["id": other, "name": "web-1"])
        #expect(rename == 431, "\(renameBody.json)")
        #expect(renameBody["errortext"]?.stringValue?.contains("already exists in the network domain") == true)
    }
}
