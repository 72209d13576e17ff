import CloudModel
import CloudTestSupport
import Foundation
import Testing

@testable import CloudAPI

/// Every registered list command that needs no parameter, called on a small cloud, against the response fields
/// CloudStack's table declares for it (docs/api/cloudstack-apispec.json.gz): a field ZooStack writes with another
/// JSON type than CloudStack's is a bug, and docs/api/RESPONSE-FIELDS.md records, command by command, the fields
/// ZooStack does not write and the ones it adds. The test fails when the document and the server disagree, so a
/// response can only drift on purpose. Regenerate the document with
/// `ZOOSTACK_WRITE_API_COVERAGE=1 swift test --filter ResponseShapeTests`.
struct ResponseShapeTests {
    /// CloudStack's response fields by command: name → declared type.
    static func cloudStackFields() throws -> [String: [String: String]] {
        var fields: [String: [String: String]] = [:]
        for api in try APICoverageTests.cloudStackAPIs() {
            guard let name = api["name"] as? String, let declared = api["response"] as? [[String: Any]] else {
                continue
            }
            var byName: [String: String] = [:]
            for field in declared {
                if let key = field["name"] as? String, let type = field["type"] as? String { byName[key] = type }
            }
            fields[name] = byName
        }
        return fields
    }

    /// The JSON type CloudStack writes for a declared type.
    static func jsonType(of declared: String) -> String {
        switch declared {
        case "boolean": "boolean"
        case "long", "integer", "int", "short": "integer"
        case "float", "double", "bigdecimal": "number"
        case "list", "set": "array"
        case "map", "responseobject": "object"
        default:
            if declared.hasPrefix("java.util.set<") || declared.hasPrefix("listresponse<") {
                "array"
            } else if declared.hasSuffix("response") {
                "object"
            } else {
                "string"
            }
        }
    }

    /// The JSON type of a value.
    static func jsonType(of value: APIValue) -> String {
        switch value {
        case .string: "string"
        case .int: "integer"
        case .double: "number"
        case .bool: "boolean"
        case .object: "object"
        case .array: "array"
        case .rawJSON: "raw"
        }
    }

    /// Whether a written type is what CloudStack declares (a whole number is a number).
    static func compatible(written: String, declared: String) -> Bool {
        written == declared || (written == "integer" && declared == "number")
    }

    /// A cloud with one of most things: a VM with a tag, a key pair, an affinity group, a project, a snapshot, an
    /// isolated network with a public address.
    static func populatedCloud() async throws -> TestCloud {
        // SQLite always: the document is one, whichever backend the run names.
        let cloud = try await TestCloud.make(backend: .sqlite)
        let job = try await cloud.deploy()
        let vmId = try #require(job["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        _ = await cloud.call("createSSHKeyPair", ["name": "shape-key"])
        _ = await cloud.call("createAffinityGroup", ["name": "shape-group", "type": "host anti-affinity"])
        _ = try await cloud.callAndWait(
            "createTags",
            ["resourceids": vmId, "resourcetype": "UserVm", "tags[0].key": "role", "tags[0].value": "web"]
        )
        _ = try await cloud.callAndWait("createProject", ["name": "shape-project", "displaytext": "shape"])
        let volume = try await cloud.first("listVolumes", "volume", ["virtualmachineid": vmId])
        _ = try await cloud.callAndWait("createSnapshot", ["volumeid": volume["id"]?.stringValue ?? ""])
        let networkId = try await NetworkCommandTests.isolated(cloud, name: "shape-net")
        _ = try await cloud.callAndWait("associateIpAddress", ["networkid": networkId])
        return cloud
    }

    @Test func listResponsesHaveCloudStacksTypesAndTheDocumentedFields() async throws {
        let cloudStack = try Self.cloudStackFields()
        let cloud = try await Self.populatedCloud()
        let commands = CommandCatalog.all.filter { command in
            command.name.hasPrefix("list") && !command.parameters.contains(where: \.required)
                && cloudStack[command.name] != nil && command.roles.contains(.rootAdmin)
        }
        .sorted { $0.name < $1.name }
        var report = ResponseFieldsDocument()
        for command in commands {
            let parameters = command.parameters.contains { $0.name == "listall" } ? ["listall": "true"] : [:]
            let (status, body) = await cloud.call(command.name, parameters)
            guard status == 200 else {
                // Some lists need a filter after all (listSnapshotPolicies: a volume or a policy, as CloudStack).
                #expect(status == 431, "\(command.name) answered \(status): \(body.json)")
                var entry = ResponseFieldsDocument.Entry(command: command.name, items: 0)
                entry.refusal = body["errortext"]?.stringValue ?? ""
                report.entries.append(entry)
                continue
            }
            var written: [String: Set<String>] = [:]
            for item in body.items {
                guard case .object(let members) = item else { continue }
                for (key, value) in members { written[key, default: []].insert(Self.jsonType(of: value)) }
            }
            let declared = (cloudStack[command.name] ?? [:]).filter { !["jobid", "jobstatus"].contains($0.key) }
            var entry = ResponseFieldsDocument.Entry(command: command.name, items: body.items.count)
            guard !written.isEmpty else {
                report.entries.append(entry)
                continue
            }
            for (field, type) in declared.sorted(by: { $0.key < $1.key }) {
                let expected = Self.jsonType(of: type)
                guard let types = written[field] else {
                    entry.absent.append(field)
                    continue
                }
                for type in types.sorted() where !Self.compatible(written: type, declared: expected) {
                    entry.mismatched.append("\(field) (\(type), CloudStack: \(expected))")
                }
            }
            entry.extra = written.keys.filter { declared[$0] == nil }.sorted()
            report.entries.append(entry)
        }
        for entry in report.entries where !entry.mismatched.isEmpty {
            Issue.record("\(entry.command) writes fields with another type than CloudStack's: \(entry.mismatched)")
        }
        let url = APICoverageTests.root.appendingPathComponent("docs/api/RESPONSE-FIELDS.md")
        if ProcessInfo.processInfo.environment["ZOOSTACK_WRITE_API_COVERAGE"] != nil {
            try report.markdown.write(to: url, atomically: true, encoding: .utf8)
        }
        let onDisk = try String(contentsOf: url, encoding: .utf8)
        #expect(
            onDisk == report.markdown,
            "docs/api/RESPONSE-FIELDS.md is stale: regenerate it (see ResponseShapeTests)"
        )
    }
}

/// docs/api/RESPONSE-FIELDS.md: per list command, what ZooStack writes against CloudStack's declared fields.
struct ResponseFieldsDocument {
    struct Entry {
        let command: String
        let items: Int
        var absent: [String] = []
        var mismatched: [String] = []
        var extra: [String] = []
        /// The 431's text when the command needs a parameter after all.
        var refusal: String?
    }

    var entries: [Entry] = []

    var markdown: String {
        let checked = self.entries.filter { $0.items > 0 }
        var lines = [
            "# List responses against CloudStack's fields",
            "",
            "Generated by `ResponseShapeTests` (Tests/CloudAPITests): every registered list command that needs no",
            "parameter, called as the root admin on a small cloud (a VM with a tag and a snapshot, a key pair, an",
            "affinity group, a project, an isolated network with a public address), against the response fields of",
            "`docs/api/cloudstack-apispec.json.gz`. A field written with another JSON type than CloudStack's fails",
            "the test. CloudStack leaves out fields whose value is null, so an absent field is not always a gap; each",
            "is one to check.",
            "",
            "| | Count |",
            "| --- | ---: |",
            "| List commands checked (with items) | \(checked.count) |",
            "| Empty on this cloud, not checked | \(self.entries.count - checked.count) |",
            "| CloudStack's fields absent | \(checked.reduce(0) { $0 + $1.absent.count }) |",
            "| ZooStack's extra fields | \(checked.reduce(0) { $0 + $1.extra.count }) |",
            "",
        ]
        for entry in self.entries {
            lines.append("## \(entry.command)")
            lines.append("")
            if let refusal = entry.refusal {
                lines += ["Not called: without parameters it answers 431 \"\(refusal)\"", ""]
                continue
            }
            guard entry.items > 0 else {
                lines += ["No items on this cloud.", ""]
                continue
            }
            lines.append(
                "Absent (\(entry.absent.count)): "
                    + (entry.absent.isEmpty ? "none" : entry.absent.joined(separator: ", "))
            )
            lines.append("")
            if !entry.extra.isEmpty {
                lines.append("Extra (\(entry.extra.count)): " + entry.extra.joined(separator: ", "))
                lines.append("")
            }
        }
        return lines.joined(separator: "\n")
    }
}
