import Foundation
import Testing
import ZooKeeperTestSupport

/// scripts/zookeeper-oracle.py: the same raw requests (every opcode, error-order edge cases, multi rollback,
/// watches, ACLs, reconnects, timeout negotiation) sent to a fresh Apache ZooKeeper 3.8 and a fresh
/// `zoostack zookeeper`, replies compared byte for byte with timestamps and session ids masked.
@Suite struct ProtocolOracleTests {
    @Test func rawProtocolMatchesApacheZooKeeper() async throws {
        async let apacheStart = ApacheZooKeeperServer.start(options: ApacheZooKeeperOptions(tickTime: .seconds(2)))
        let ours = try await ZooStackServerProcess.start(extraArguments: [
            "--4lw-whitelist", "*", "--tick-time", "2000",
        ])
        defer { ours.stop() }
        let apache = try await apacheStart
        defer { apache.shutdown() }
        let script = Subprocess.scripts.appendingPathComponent("zookeeper-oracle.py").path
        let result = try await Subprocess.run("python3", [script, "\(apache.port)", "\(ours.port)"])
        #expect(result.status == 0, "\(result.output)")
        let summary = try #require(result.output.split(separator: "\n").last.map(String.init), "no output")
        let counts = summary.split(separator: " ").compactMap { Int($0) }
        #expect(summary.hasPrefix("compared ") && summary.hasSuffix(" differ"), "\(result.output)")
        #expect(counts.count == 2 && counts[0] >= 100, "too few steps compared: \(summary)")
        #expect(counts.count == 2 && counts[1] == 0, "differences from Apache ZooKeeper:\n\(result.output)")
        #expect(!result.output.contains("DIFF"), "\(result.output)")
        #expect(ours.isRunning)
    }
}
