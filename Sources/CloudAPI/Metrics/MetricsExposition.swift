import CloudCore
import CloudModel
import Foundation
import Prometheus

/// Renders ``CloudMetrics`` in Prometheus' text format: CloudStack's exporter's families under their names and
/// labels (`PrometheusExporterImpl`: `cloudstack_hosts_total{zone,filter}`, ...), then ZooStack's gauges. The
/// CloudStack families are untyped, as CloudStack emits them: they are gauges whose names end in `_total`, which
/// a typed gauge may not (promtool's lint); each gets a `# HELP` line.
enum MetricsExposition {
    /// One untyped family being written.
    struct Family {
        let name: String
        var lines: [String] = []

        mutating func add(_ labels: KeyValuePairs<String, String>, _ value: String) {
            let rendered = labels.map { "\($0.key)=\"\(MetricsExposition.escape($0.value))\"" }
            self.lines.append("\(self.name){\(rendered.joined(separator: ","))} \(value)")
        }
    }

    /// The CloudStack families' help texts, in the order they are written.
    static let help: KeyValuePairs<String, String> = [
        "cloudstack_hosts_total": "Hosts by zone: online, offline and total.",
        "cloudstack_host_vms_total": "VMs placed on each host.",
        "cloudstack_host_cpu_usage_mhz_total": "Host CPU in MHz: used and total per host, allocated per zone.",
        "cloudstack_host_memory_usage_mibs_total": "Host memory in MiB: used and total per host, allocated per zone.",
        "cloudstack_vms_total": "VMs by zone and state.",
        "cloudstack_storage_pool_gibs_total": "Storage pools and image stores in GiB: used, allocated, total.",
        "cloudstack_public_ips_total": "Public IP addresses by zone: allocated and total.",
        "cloudstack_domain_resource_count": "What each domain and its subdomains use, by resource type.",
    ]

    /// The whole scrape: CloudStack's families, ZooStack's scrape-time gauges, then the API's own metrics.
    static func render(_ metrics: CloudMetrics, api: APIMetrics) -> String {
        var families: [String: Family] = [:]
        for (name, _) in Self.help { families[name] = Family(name: name) }
        Self.cloudStack(metrics, into: &families)
        var text = ""
        for (name, help) in Self.help {
            guard let family = families[name], !family.lines.isEmpty else { continue }
            text += "# HELP \(name) \(help)\n# TYPE \(name) untyped\n"
            text += family.lines.joined(separator: "\n") + "\n"
        }
        text += Self.virtualMachines(metrics.virtualMachines)
        text += Self.zooStack(metrics).emitToString()
        text += api.render()
        return text
    }

    static func cloudStack(_ metrics: CloudMetrics, into families: inout [String: Family]) {
        for zone in metrics.zones {
            families["cloudstack_hosts_total"]?.add(["zone": zone.name, "filter": "online"], "\(zone.hostsOnline)")
            families["cloudstack_hosts_total"]?.add(["zone": zone.name, "filter": "offline"], "\(zone.hostsOffline)")
            families["cloudstack_hosts_total"]?.add(["zone": zone.name, "filter": "total"], "\(zone.hostsTotal)")
            families["cloudstack_host_cpu_usage_mhz_total"]?.add(
                ["zone": zone.name, "filter": "allocated"],
                Self.decimal(Double(zone.cpuAllocatedMHz))
            )
            families["cloudstack_host_memory_usage_mibs_total"]?.add(
                ["zone": zone.name, "filter": "allocated"],
                Self.decimal(Self.mebibytes(zone.memoryAllocatedBytes))
            )
            for state in VirtualMachineState.allCases {
                families["cloudstack_vms_total"]?.add(
                    ["zone": zone.name, "filter": state.rawValue.lowercased()],
                    "\(zone.virtualMachines[state] ?? 0)"
                )
            }
            families["cloudstack_public_ips_total"]?.add(
                ["zone": zone.name, "filter": "allocated"],
                "\(zone.publicIPsAllocated)"
            )
            families["cloudstack_public_ips_total"]?.add(
                ["zone": zone.name, "filter": "total"],
                "\(zone.publicIPsTotal)"
            )
        }
        for host in metrics.hosts {
            families["cloudstack_host_vms_total"]?.add(
                ["zone": host.zone, "hostname": host.name, "address": host.address],
                "\(host.virtualMachines)"
            )
            for (filter, mhz) in [("used", host.cpuUsedMHz), ("total", host.cpuTotalMHz)] {
                families["cloudstack_host_cpu_usage_mhz_total"]?.add(
                    [
                        "zone": host.zone, "hostname": host.name, "ip": host.address,
                        "overprovisioningfactor": Self.factor(host.cpuFactor), "filter": filter, "tags": host.tags,
                    ],
                    Self.decimal(Double(mhz))
                )
            }
            for (filter, bytes) in [("used", host.memoryUsedBytes), ("total", host.memoryTotalBytes)] {
                families["cloudstack_host_memory_usage_mibs_total"]?.add(
                    [
                        "zone": host.zone, "hostname": host.name, "ip": host.address,
                        "overprovisioningfactor": Self.factor(host.memoryFactor), "filter": filter, "dedicated": "0",
                        "tags": host.tags,
                    ],
                    Self.decimal(Self.mebibytes(bytes))
                )
            }
        }
        for pool in metrics.pools { Self.pool(pool, into: &families) }
        for domain in metrics.domains {
            for (type, value) in [
                ("memory", domain.memory), ("cpu", domain.cpu), ("primary_storage", domain.primaryStorage),
                ("secondary_storage", domain.secondaryStorage),
            ] {
                families["cloudstack_domain_resource_count"]?.add(["domain": domain.path, "type": type], "\(value)")
            }
        }
    }

    static func pool(_ pool: CloudMetrics.PoolSample, into families: inout [String: Family]) {
        let gib = 1024.0 * 1024.0 * 1024.0
        guard let factor = pool.overprovisioningFactor, let allocated = pool.allocatedBytes else {
            for (filter, bytes) in [("used", pool.usedBytes), ("total", pool.totalBytes)] {
                families["cloudstack_storage_pool_gibs_total"]?.add(
                    [
                        "zone": pool.zone, "name": pool.name, "address": pool.address, "type": pool.type,
                        "filter": filter,
                    ],
                    Self.decimal(Double(bytes) / gib)
                )
            }
            return
        }
        let unallocated = factor * Double(pool.totalBytes) - Double(allocated)
        for (filter, bytes) in [
            ("used", Double(pool.usedBytes)), ("allocated", Double(allocated)), ("unallocated", unallocated),
            ("total", Double(pool.totalBytes)),
        ] {
            families["cloudstack_storage_pool_gibs_total"]?.add(
                [
                    "zone": pool.zone, "name": pool.name, "address": pool.address, "type": pool.type,
                    "overprovisioningfactor": Self.factor(factor), "filter": filter,
                ],
                Self.decimal(bytes / gib)
            )
        }
    }

    /// ZooStack's scrape-time gauges, in a registry of their own made for this scrape (nothing accumulates).
    static func zooStack(_ metrics: CloudMetrics) -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        let jobHelp = "Async jobs by state."
        for status in AsyncJobStatus.allCases {
            registry.makeGauge(
                descriptor: .named("zoostack_async_jobs", help: jobHelp),
                labels: [("state", Self.name(status))]
            )
            .set(Double(metrics.jobs[status] ?? 0))
        }
        guard let cluster = metrics.cluster else { return registry }
        for state in ClusterMetrics.sessionStates {
            registry.makeGauge(
                descriptor: .named(
                    "zoostack_zookeeper_session_state",
                    help: "1 for this server's ZooKeeper session's state, 0 for the others."
                ),
                labels: [("state", state)]
            ).set(state == cluster.sessionState ? 1.0 : 0.0)
        }
        registry.makeGauge(descriptor: .named("zoostack_leader", help: "1 while this server is the cluster's leader."))
            .set(cluster.isLeader ? 1.0 : 0.0)
        registry.makeGauge(
            descriptor: .named("zoostack_leader_epoch", help: "The fencing epoch while this server leads, else 0.")
        )
        .set(Double(cluster.epoch ?? 0))
        registry.makeGauge(descriptor: .named("zoostack_hosts_owned", help: "Hosts this management server owns."))
            .set(Double(cluster.ownedHosts))
        return registry
    }

    static func name(_ status: AsyncJobStatus) -> String {
        switch status {
        case .inProgress: "in_progress"
        case .succeeded: "succeeded"
        case .failed: "failed"
        case .cancelled: "cancelled"
        }
    }

    static func mebibytes(_ bytes: Int) -> Double { Double(bytes) / (1024.0 * 1024.0) }

    /// Two decimals, as CloudStack writes `%.2f`.
    static func decimal(_ value: Double) -> String { String(format: "%.2f", value) }

    /// A factor as Java's `String.valueOf(float)` writes it (`2.0`, `1.5`).
    static func factor(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(format: "%.1f", value) : "\(value)"
    }

    /// A label value escaped per the text format (backslash, double quote, newline).
    static func escape(_ value: String) -> String {
        var escaped = ""
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
