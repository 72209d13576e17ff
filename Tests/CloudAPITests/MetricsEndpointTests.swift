import CloudAPI
import CloudCore
import CloudTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `/metrics` on the API port, scraped over real HTTP on loopback: CloudStack's exporter's names, counts that
/// follow the data, the API's own counters, `promtool check metrics`, and the scrape allow-list.
struct MetricsEndpointTests {
    /// Scrapes once over HTTP; returns the status and the body.
    static func scrape(_ client: some TestClientProtocol) async throws -> (HTTPResponse.Status, String) {
        try await client.execute(uri: "/metrics", method: .get) { response in
            (response.status, String(buffer: response.body))
        }
    }

    /// The value of the one sample whose name and labels are `series` (`name{a="b",...}`).
    static func value(_ text: String, _ series: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }

    @Test(arguments: TestBackend.allCases)
    func scrapeCountsVMsAndRequestsAndPassesPromtool(backend: TestBackend) async throws {
        let cloud = try await TestCloud.make(backend: backend)
        let zone = try #require(try await cloud.first("listZones", "zone")["name"]?.stringValue)
        let running = "cloudstack_vms_total{zone=\"\(zone)\",filter=\"running\"}"
        let app = Application(router: APIRouter.make(cloud.server))
        try await app.test(.live) { client in
            let (status, before) = try await Self.scrape(client)
            #expect(status == .ok, "\(before)")
            #expect(Self.value(before, running) == 0, "\(before)")
            #expect(Self.value(before, "cloudstack_hosts_total{zone=\"\(zone)\",filter=\"total\"}") == 4)
            #expect(before.contains("cloudstack_host_cpu_usage_mhz_total{zone=\"\(zone)\",hostname="))
            #expect(before.contains("cloudstack_domain_resource_count{domain=\"ROOT\",type=\"cpu\"} 0"))
            _ = try await cloud.deploy()
            _ = try await cloud.deploy()
            let (_, after) = try await Self.scrape(client)
            #expect(Self.value(after, running) == 2, "\(after)")
            #expect(Self.value(after, "cloudstack_domain_resource_count{domain=\"ROOT\",type=\"cpu\"}") == 2)
            #expect(
                Self.value(after, "cloudstack_host_cpu_usage_mhz_total{zone=\"\(zone)\",filter=\"allocated\"}") == 1000
            )
            #expect(Self.value(after, "zoostack_async_jobs{state=\"succeeded\"}") == 2)
            #expect(
                Self.value(after, "zoostack_api_requests_total{command=\"deployVirtualMachine\",status=\"200\"}") == 2
            )
            #expect(after.contains("zoostack_api_request_duration_seconds_bucket{command=\"deployVirtualMachine\""))
            try Self.expectPromtoolAccepts(after)
        }
    }

    @Test func scrapesKeepNothingBetweenThem() async throws {
        let cloud = try await TestCloud.make()
        _ = try await cloud.deploy()
        let app = Application(router: APIRouter.make(cloud.server))
        try await app.test(.live) { client in
            let (_, first) = try await Self.scrape(client)
            for _ in 0..<20 { _ = try await Self.scrape(client) }
            let (_, last) = try await Self.scrape(client)
            // Nothing changed in the cloud and no API request came: the same series with the same values (in an
            // order that may differ within a family, which Prometheus ignores).
            #expect(first.split(separator: "\n").sorted() == last.split(separator: "\n").sorted())
        }
    }

    @Test func aSettingWithoutLoopbackRefusesLoopbackScrapes() async throws {
        let cloud = try await TestCloud.make()
        let (status, body) = await cloud.call(
            "updateConfiguration",
            ["name": "prometheus.exporter.allowed.ips", "value": "198.18.0.0/15, 2001:db8::/32"]
        )
        #expect(status == 200, "\(body.json)")
        let app = Application(router: APIRouter.make(cloud.server))
        try await app.test(.live) { client in
            let (refused, text) = try await Self.scrape(client)
            #expect(refused == .forbidden)
            #expect(!text.contains("cloudstack_"))
        }
        _ = await cloud.call("updateConfiguration", ["name": "prometheus.exporter.allowed.ips", "value": "127.0.0.1"])
        try await app.test(.live) { client in
            let (allowed, _) = try await Self.scrape(client)
            #expect(allowed == .ok)
        }
    }

    /// Runs `promtool check metrics` (Debian's `prometheus`) on the text: it must exit 0 and say nothing.
    static func expectPromtoolAccepts(_ text: String) throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("metrics-\(UUID().uuidString)")
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
