import Foundation
import Testing
import ZooKeeperTestSupport

/// `zoostack serve` and `zoostack call`, run as built binaries.
struct ServeAndCallTests {
    @Test func serveSeedsWritesCredentialsAndCallWorks() async throws {
        let dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("zoostack-serve-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        let port = try FreePort.allocate()
        let serve = Process()
        serve.executableURL = ZooStackExecutable.url
        serve.arguments = [
            "serve", "--data-dir", dataDir, "--api-port", String(port), "--zookeeper-port", "0",
            "--zookeeper-metrics-port", "0",
        ]
        serve.standardOutput = FileHandle.nullDevice
        serve.standardError = FileHandle.nullDevice
        try serve.run()
        defer {
            serve.terminate()
            serve.waitUntilExit()
        }
        let credentials = "\(dataDir)/admin-credentials.json"
        var zones = ZooStackExecutable.Result(status: -1, stdout: "", stderr: "")
        for _ in 0..<100 {
            if FileManager.default.fileExists(atPath: credentials) {
                zones = try await ZooStackExecutable.run([
                    "call", "--data-dir", dataDir, "listZones", "--output", "json",
                ])
                if zones.status == 0 { break }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(zones.status == 0, "\(zones.stderr)")
        #expect(zones.stdout.hasPrefix(#"{"listzonesresponse":{"count":1,"zone":[{"#))
        let attributes = try FileManager.default.attributesOfItem(atPath: credentials)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let json = try String(contentsOfFile: credentials, encoding: .utf8)
        for key in ["endpoint", "username", "password", "apikey", "secretkey"] {
            #expect(json.contains("\"\(key)\""))
        }
        let bad = try await ZooStackExecutable.run(["call", "--data-dir", dataDir, "listTemplates"])
        #expect(bad.status == 1)
        #expect(bad.stdout.contains(#""errorcode":431"#))
    }
}
