import Foundation
import Testing

/// `zoostack call` against a running `zoostack serve`: table and JSON output, async jobs, exit codes, profiles.
struct CallOutputTests {
    static func json(_ text: String) throws -> [String: Any] {
        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try #require(parsed as? [String: Any], "not a JSON object: \(text)")
    }

    /// The ids of the zone, the first featured template and the first offering.
    static func catalogue(_ cloud: ServedCloud) async throws -> [String] {
        var ids: [String] = []
        for (arguments, envelope, item) in [
            (["listZones"], "listzonesresponse", "zone"),
            (["listTemplates", "templatefilter=featured"], "listtemplatesresponse", "template"),
            (["listServiceOfferings"], "listserviceofferingsresponse", "serviceoffering"),
        ] {
            let result = try await cloud.call(arguments + ["--output", "json"])
            let content = try #require(try Self.json(result.stdout)[envelope] as? [String: Any])
            let first = try #require((content[item] as? [[String: Any]])?.first)
            ids.append(try #require(first["id"] as? String))
        }
        return ids
    }

    @Test func listsPrintTablesAndJSON() async throws {
        let cloud = try await ServedCloud.start()
        defer { cloud.stop() }
        let table = try await cloud.call(["listServiceOfferings"])
        #expect(table.status == 0)
        #expect(table.stderr.isEmpty)
        let lines = table.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count >= 6, "\(table.stdout)")
        #expect(lines.first == "count = 2")
        #expect(lines.dropFirst().first == "serviceoffering:")
        #expect(lines[2].hasPrefix("+---") && lines[2] == lines[4] && lines.last == lines[2])
        let header = lines[3].split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(Array(header.prefix(3)) == ["ID", "NAME", "CPUNUMBER"], "\(lines[3])")
        #expect(lines.contains { $0.contains("| Small Instance ") })
        // count, key, rule, header, rule, two offerings, rule.
        #expect(lines.count == 8, "\(table.stdout)")

        let json = try await cloud.call(["listServiceOfferings", "--output", "json"])
        #expect(json.status == 0)
        let body = try Self.json(json.stdout)
        let content = try #require(body["listserviceofferingsresponse"] as? [String: Any])
        #expect(content["count"] as? Int == 2)

        let empty = try await cloud.call(["listVirtualMachines"])
        #expect(empty.status == 0)
        #expect(empty.stdout.isEmpty)

        let bogus = try await cloud.call(["listZones", "--output", "yaml"])
        #expect(bogus.status == 64)
    }

    @Test func asyncJobsWaitQuietlyAndPrintTheResult() async throws {
        let cloud = try await ServedCloud.start()
        defer { cloud.stop() }
        let ids = try await Self.catalogue(cloud)
        let parameters = ["zoneid=\(ids[0])", "templateid=\(ids[1])", "serviceofferingid=\(ids[2])"]
        let deployed = try await cloud.call(["deployVirtualMachine", "name=cli-vm"] + parameters)
        #expect(deployed.status == 0, "\(deployed.stdout)\(deployed.stderr)")
        #expect(deployed.stderr.isEmpty, "no progress indicator without a terminal: \(deployed.stderr)")
        let job = try #require(try Self.json(deployed.stdout)["queryasyncjobresultresponse"] as? [String: Any])
        #expect(job["jobstatus"] as? Int == 1)
        let vm = try #require((job["jobresult"] as? [String: Any])?["virtualmachine"] as? [String: Any])
        #expect(vm["state"] as? String == "Running")
        let id = try #require(vm["id"] as? String)

        let stopped = try await cloud.call(["stopVirtualMachine", "id=\(id)", "--output", "table"])
        #expect(stopped.status == 0)
        let rows = stopped.stdout.split(separator: "\n").map(String.init)
        #expect(rows[1].contains("FIELD") && rows[1].contains("VALUE"))
        #expect(rows[3].hasPrefix("| id ") && rows[3].contains(id))
        #expect(rows[4].hasPrefix("| name ") && rows[4].contains("cli-vm"))
        #expect(rows[5].hasPrefix("| state ") && rows[5].contains("Stopped"))

        let noWait = try await cloud.call(["startVirtualMachine", "id=\(id)", "--no-wait"])
        #expect(noWait.status == 0)
        let answer = try #require(try Self.json(noWait.stdout)["startvirtualmachineresponse"] as? [String: Any])
        #expect(answer["jobid"] is String)

        // A job that fails exits 1 with the job's error.
        let injected = try await cloud.call(["configureSimulator", "name=StartCommand", "value=result:fail"])
        #expect(injected.status == 0, "\(injected.stdout)")
        let failed = try await cloud.call(["deployVirtualMachine", "name=doomed"] + parameters)
        #expect(failed.status == 1)
        let failure = try #require(try Self.json(failed.stdout)["queryasyncjobresultresponse"] as? [String: Any])
        #expect(failure["jobstatus"] as? Int == 2)
    }

    @Test func errorsAndProfiles() async throws {
        let cloud = try await ServedCloud.start()
        defer { cloud.stop() }
        let refused = try await cloud.call(["listTemplates"])
        #expect(refused.status == 1)
        let error = try #require(try Self.json(refused.stdout)["listtemplatesresponse"] as? [String: Any])
        #expect(error["errorcode"] as? Int == 431)
        let asTable = try await cloud.call(["listTemplates", "--output", "table"])
        #expect(asTable.status == 1)
        #expect(asTable.stdout.contains("| errorcode ") && asTable.stdout.contains("templatefilter"))

        let profile = try Self.json(try String(contentsOfFile: cloud.credentials, encoding: .utf8))
        func write(_ object: [String: Any], _ name: String) throws -> String {
            let path = "\(cloud.dataDir)/\(name).json"
            try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
            return path
        }
        let copy = try write(profile, "copy")
        let viaCopy = try await ZooStackExecutable.run(["call", "--profile", copy, "listZones"])
        #expect(viaCopy.status == 0)
        #expect(viaCopy.stdout.hasPrefix("count = 1\nzone:\n"))

        var wrongSecret = profile
        wrongSecret["secretkey"] = "not-the-secret"
        let unsigned = try await ZooStackExecutable.run([
            "call", "--profile", try write(wrongSecret, "bad"), "listZones",
        ])
        #expect(unsigned.status == 1)
        #expect(unsigned.stdout.contains(#""errorcode":401"#))

        var elsewhere = profile
        elsewhere["endpoint"] = "http://127.0.0.1:1/client/api"
        let unreachable = try await ZooStackExecutable.run([
            "call", "--profile", try write(elsewhere, "far"), "listZones",
        ])
        #expect(unreachable.status == 2)
        #expect(unreachable.stderr.hasPrefix("Cannot reach http://127.0.0.1:1/client/api"))
        #expect(unreachable.stdout.isEmpty)

        let missing = try await ZooStackExecutable.run(["call", "--profile", "\(cloud.dataDir)/none.json", "listZones"])
        #expect(missing.status == 2)
        #expect(missing.stderr.hasPrefix("Cannot read profile"))
        var partial = profile
        partial.removeValue(forKey: "secretkey")
        let incomplete = try await ZooStackExecutable.run([
            "call", "--profile", try write(partial, "partial"), "listZones",
        ])
        #expect(incomplete.status == 2)
        #expect(incomplete.stderr.contains("secretkey"))
    }
}
