import ClusterHarness
import Foundation
import Testing
import ZooKeeperTestSupport

/// `zoostack zookeeper --metrics-port`: Apache ZooKeeper's metric names over real HTTP, as its Prometheus
/// metrics provider serves them on `metricsProvider.httpPort`.
struct ZooKeeperMetricsEndpointTests {
    @Test func theMetricsPortServesPrometheusText() async throws {
        let metricsPort = try FreePort.allocate()
        let zookeeper = try BackgroundZooStack([
            "zookeeper", "--port", "0", "--in-memory", "--metrics-port", String(metricsPort),
        ])
        defer { zookeeper.stop() }
        _ = try await zookeeper.line(startingWith: "ZooKeeper metrics on http://127.0.0.1:\(metricsPort)/metrics")
        let connection = try await HTTPKeepAliveConnection.connect(host: "127.0.0.1", port: metricsPort)
        let (status, text) = try await connection.withRequests { get in try await get("/metrics") }
        #expect(status == 200, "\(text)")
        for name in ["znode_count", "watch_count", "num_alive_connections", "outstanding_requests", "avg_latency"] {
            // Gauges, declared untyped where the name ends in `_count` (promtool's lint reserves it for summaries).
            let type = name.hasSuffix("_count") ? "untyped" : "gauge"
            #expect(text.contains("# TYPE \(name) \(type)\n\(name) "), "no \(name): \(text)")
        }
        #expect(text.contains("# TYPE fsynctime summary\n"))
    }
}
