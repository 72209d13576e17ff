import Foundation
import Testing

/// kazoo, the Python client, against the built server: CRUD, watches, DataWatch, transactions, contended Lock
/// and Election recipes, digest ACLs, ephemerals (Resources/kazoo-smoke.py).
@Suite struct KazooTests {
    /// Every check the script makes; each must print `PASS <name>`.
    static let checks = [
        "server_version", "get", "set", "badversion", "nodeexists", "exists none", "data watch", "child watch",
        "DataWatch recipe", "transaction rollback", "transaction ok", "lock held", "lock released", "election",
        "lock contended times out", "lock waiter queued", "lock handed over", "election first leads",
        "election second waits", "election handover", "acl noauth", "acl owner read", "ephemeral removed on close",
        "recursive delete",
    ]

    @Test func kazooSmokeTestPassesAgainstZooStack() async throws {
        let server = try await ZooStackServerProcess.start()
        defer { server.stop() }
        let script = Subprocess.resources.appendingPathComponent("kazoo-smoke.py").path
        let result = try await Subprocess.run("python3", [script, server.connectString], limit: .seconds(45))
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(result.status == 0, "kazoo-smoke.py failed:\n\(result.output)\nserver log:\n\(server.log)")
        for check in Self.checks {
            #expect(lines.contains("PASS \(check)"), "no PASS \(check):\n\(result.output)")
        }
        #expect(!lines.contains { $0.hasPrefix("FAIL") }, "\(result.output)")
        let passed = lines.filter { $0.hasPrefix("PASS ") }.count
        #expect(lines.last == "SUMMARY \(passed)/\(passed) passed", "\(result.output)")
        #expect(server.isRunning)
    }
}
