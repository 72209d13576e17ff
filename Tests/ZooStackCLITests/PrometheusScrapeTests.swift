import ClusterHarness
import Foundation
import Testing
import ZooKeeperTestSupport

/// A real Prometheus server (Debian's `prometheus`) scraping a running `zoostack serve`: the API port's `/metrics`
/// and the embedded ZooKeeper's metrics port, both `up`, with CloudStack's and ZooKeeper's series stored.
struct PrometheusScrapeTests {
    /// The `result` array of a Prometheus instant query, or nil when it did not answer.
    static func query(_ expression: String, port: Int) async -> [[String: Any]]? {
        guard let connection = try? await HTTPKeepAliveConnection.connect(host: "127.0.0.1", port: port) else {
            return nil
        }
        let encoded = expression.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? expression
        guard
            let (status, text) = try? await connection.withRequests({ get in
                try await get("/api/v1/query?query=\(encoded)")
            }),
            status == 200,
            let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            let data = object["data"] as? [String: Any]
        else { return nil }
        return data["result"] as? [[String: Any]]
    }

    /// The instances whose `up` is 1.
    static func upInstances(port: Int) async -> Set<String> {
        var up: Set<String> = []
        for sample in await Self.query("up", port: port) ?? [] {
            guard let labels = sample["metric"] as? [String: String], let instance = labels["instance"],
                let value = sample["value"] as? [Any], value.count == 2, value[1] as? String == "1"
            else { continue }
            up.insert(instance)
        }
        return up
    }

    @Test func prometheusScrapesTheAPIAndTheEmbeddedZooKeeper() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zoostack-prom-\(UUID())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (apiPort, zkMetricsPort, promPort) = (
            try FreePort.allocate(), try FreePort.allocate(), try FreePort.allocate()
        )
        let serve = try BackgroundZooStack([
            "serve", "--data-dir", "\(dir)/data", "--api-port", String(apiPort), "--zookeeper-port", "0",
            "--zookeeper-metrics-port", String(zkMetricsPort),
        ])
        defer { serve.stop() }
        _ = try await serve.line(startingWith: "ZooStack API ready on")
        let (api, zookeeper) = ("127.0.0.1:\(apiPort)", "127.0.0.1:\(zkMetricsPort)")
        try """
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
        scrape_configs:
          - job_name: zoostack
            static_configs:
              - targets: ['\(api)']
          - job_name: zookeeper
            static_configs:
              - targets: ['\(zookeeper)']

        """.write(toFile: "\(dir)/prometheus.yml", atomically: true, encoding: .utf8)
        let log = "\(dir)/prometheus.log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let prometheus = Process()
        prometheus.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        prometheus.arguments = [
            "prometheus", "--config.file=\(dir)/prometheus.yml", "--storage.tsdb.path=\(dir)/tsdb",
            "--web.listen-address=127.0.0.1:\(promPort)",
        ]
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        prometheus.standardOutput = output
        prometheus.standardError = output
        try prometheus.run()
        defer {
            if prometheus.isRunning {
                prometheus.terminate()
                prometheus.waitUntilExit()
            }
        }
        var up: Set<String> = []
        var (cloudStack, zooKeeper) = (false, false)
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline, prometheus.isRunning {
            up = await Self.upInstances(port: promPort)
            if up.isSuperset(of: [api, zookeeper]) {
                cloudStack = !(await Self.query("cloudstack_hosts_total", port: promPort) ?? []).isEmpty
                zooKeeper = !(await Self.query("znode_count", port: promPort) ?? []).isEmpty
                if cloudStack && zooKeeper { break }
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        let said = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(up.isSuperset(of: [api, zookeeper]), "up: \(up)\nprometheus:\n\(said.suffix(3000))")
        #expect(cloudStack, "no cloudstack_hosts_total in Prometheus")
        #expect(zooKeeper, "no znode_count in Prometheus")
    }
}
