import Foundation
import Testing
import ZooKeeperProtocol
import ZooKeeperTestSupport

@testable import ZooKeeperServer

/// The server's metrics under Apache ZooKeeper's names: counts that follow the tree, `mntr` reporting the same set
/// as the Prometheus text, and that text accepted by `promtool check metrics`.
struct ZooKeeperMetricsTests {
    @Test func countsFollowTheTreeAndMntrMatchesThePrometheusText() async throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let config = ZooKeeperServerConfiguration(port: 0, dataDir: dir, fourLetterWordWhitelist: ["mntr"])
        try await withServer(config) { server, port in
            let before = try #require(await server.metrics())
            var (client, _) = try await RawZooKeeperClient.connect(port: port)
            _ = try await client.call(.create, createRequest("/m", [1, 2, 3]), as: CreateResponse.self)
            _ = try await client.call(.create, createRequest("/m/e", [], .ephemeral), as: CreateResponse.self)
            _ = try await client.call(.getData, GetDataRequest(path: "/m", watch: true), as: GetDataResponse.self)
            let after = try #require(await server.metrics())
            #expect(after.value("znode_count") == (before.value("znode_count") ?? 0) + 2)
            #expect(after.value("ephemerals_count") == 1)
            #expect(after.value("watch_count") == 1)
            #expect(after.value("num_alive_connections") == 1)
            #expect(after.value("global_sessions") == 1)
            #expect((after.value("approximate_data_size") ?? 0) > (before.value("approximate_data_size") ?? 0))
            #expect((after.value("packets_received") ?? 0) >= 3)
            // Each write was fsynced before its reply.
            #expect(after.fsyncTime.count >= 2)

            let mntr = try await RawZooKeeperClient.fourLetterWord("mntr", port: port)
            let names = Set(mntr.split(separator: "\n").compactMap { $0.split(separator: "\t").first.map(String.init) })
            for gauge in after.gauges { #expect(names.contains("zk_" + gauge.name), "mntr lacks \(gauge.name)") }
            for name in ["zk_version", "zk_server_state", "zk_avg_fsynctime", "zk_cnt_fsynctime", "zk_sum_fsynctime"] {
                #expect(names.contains(name), "mntr lacks \(name)")
            }
            #expect(mntr.contains("zk_ephemerals_count\t1\n"))
            for name in [
                "znode_count", "watch_count", "num_alive_connections", "outstanding_requests", "avg_latency",
                "max_latency", "min_latency", "ephemerals_count", "approximate_data_size", "fsynctime_count",
            ] {
                #expect(after.prometheusText.contains("\n\(name) "), "no \(name)")
            }
            try Self.expectPromtoolAccepts(after.prometheusText)
            await client.close()
        }
    }

    /// Runs `promtool check metrics` (Debian's `prometheus`): it must exit 0 and say nothing.
    static func expectPromtoolAccepts(_ text: String) throws {
        let file = URL(fileURLWithPath: temporaryDirectory() + ".prom")
        try text.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["promtool", "check", "metrics"]
        process.standardInput = try FileHandle(forReadingFrom: file)
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0, "promtool: \(said)")
        #expect(said.isEmpty, "promtool: \(said)")
    }
}
