import CloudAPI
import CloudCore
import CloudModel
import CloudStore
import Hummingbird
import HummingbirdTesting
import Testing

/// The per-VM families of `/metrics`: a `vm_stats` row (what a real host's agent reports) becomes nine series
/// labelled with the zone, host, VM id and name, promtool-valid; `prometheus.exporter.vm.stats.limit` bounds them.
struct VirtualMachineMetricsTests {
    @Test func aVMStatsRowBecomesLabelledSeries() async throws {
        let cloud = try await TestCloud.make()
        _ = try await cloud.deploy()
        let vm = try await cloud.first("listVirtualMachines", "virtualmachine")
        let (id, name, host) = (
            try #require(vm["id"]?.stringValue), try #require(vm["name"]?.stringValue),
            try #require(vm["hostname"]?.stringValue)
        )
        let zone = try #require(vm["zonename"]?.stringValue)
        let stats = VirtualMachineStats(
            id: id,
            cpuUsedPercent: 12.5,
            memoryKbs: 131_072,
            memoryIntFreeKbs: 65_536,
            networkKbsRead: 3,
            networkKbsWrite: 4,
            diskKbsRead: 100,
            diskKbsWrite: 50,
            diskIoRead: 7,
            diskIoWrite: 9,
            updated: 1_700_000_000
        )
        try await cloud.server.core.store.recordStats(vms: [stats], host: nil)
        let labels = "{zone=\"\(zone)\",hostname=\"\(host)\",id=\"\(id)\",name=\"\(name)\"}"
        let app = Application(router: APIRouter.make(cloud.server))
        try await app.test(.live) { client in
            let (status, text) = try await MetricsEndpointTests.scrape(client)
            #expect(status == .ok)
            for (series, value) in [
                ("zoostack_vm_cpu_used_percent", 12.5), ("zoostack_vm_memory_bytes", 134_217_728),
                ("zoostack_vm_memory_free_bytes", 67_108_864), ("zoostack_vm_network_receive_bytes_total", 3072),
                ("zoostack_vm_network_transmit_bytes_total", 4096), ("zoostack_vm_disk_read_bytes_total", 102_400),
                ("zoostack_vm_disk_written_bytes_total", 51_200), ("zoostack_vm_disk_reads_total", 7),
                ("zoostack_vm_disk_writes_total", 9),
            ] {
                #expect(MetricsEndpointTests.value(text, series + labels) == value, "\(series): \(text)")
            }
            #expect(text.contains("# TYPE zoostack_vm_disk_reads_total counter\n"))
            try MetricsEndpointTests.expectPromtoolAccepts(text)
        }
        let (updated, body) = await cloud.call(
            "updateConfiguration",
            ["name": "prometheus.exporter.vm.stats.limit", "value": "0"]
        )
        #expect(updated == 200, "\(body.json)")
        try await app.test(.live) { client in
            let (_, text) = try await MetricsEndpointTests.scrape(client)
            #expect(!text.contains("zoostack_vm_"))
        }
    }
}
