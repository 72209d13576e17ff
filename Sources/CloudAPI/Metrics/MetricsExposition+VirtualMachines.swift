import CloudCore
import CloudModel

/// Per-VM counters of running VMs on real hosts, from the `vm_stats` their agents report. CloudStack's exporter
/// has no per-VM family, so these are ZooStack's, named by Prometheus' conventions (base units, `_total` on
/// counters): the disk and network numbers count up from the VM's start (QEMU's `query-blockstats` and its taps),
/// the CPU and memory ones are gauges. Labels: `zone`, `hostname` (as CloudStack's host families), the VM's `id`
/// and `name`. Series: nine per VM, at most `prometheus.exporter.vm.stats.limit` VMs.
extension MetricsExposition {
    /// One per-VM family: its name, type, help and how to read its value.
    struct VirtualMachineFamily {
        let name: String
        let type: String
        let help: String
        let value: @Sendable (VirtualMachineStats) -> String
    }

    static let virtualMachineFamilies: [VirtualMachineFamily] = [
        VirtualMachineFamily(
            name: "zoostack_vm_cpu_used_percent",
            type: "gauge",
            help: "CPU use of a VM over the last sample, percent of its vCPUs.",
            value: { Self.decimal($0.cpuUsedPercent) }
        ),
        VirtualMachineFamily(
            name: "zoostack_vm_memory_bytes",
            type: "gauge",
            help: "Memory a VM has.",
            value: { Self.bytes(kibibytes: $0.memoryKbs) }
        ),
        VirtualMachineFamily(
            name: "zoostack_vm_memory_free_bytes",
            type: "gauge",
            help: "Memory free inside a VM's guest (0 when unknown).",
            value: { Self.bytes(kibibytes: $0.memoryIntFreeKbs) }
        ),
        VirtualMachineFamily(
            name: "zoostack_vm_network_receive_bytes_total",
            type: "counter",
            help: "Bytes a VM's NICs received since it started.",
            value: { Self.bytes(kibibytes: $0.networkKbsRead) }
        ),
        VirtualMachineFamily(
            name: "zoostack_vm_network_transmit_bytes_total",
            type: "counter",
            help: "Bytes a VM's NICs sent since it started.",
            value: { Self.bytes(kibibytes: $0.networkKbsWrite) }
        ),
        VirtualMachineFamily(
            name: "zoostack_vm_disk_read_bytes_total",
            type: "counter",
            help: "Bytes a VM read from its disks since it started.",
            value: { Self.bytes(kibibytes: $0.diskKbsRead) }
        ),
        VirtualMachineFamily(
            name: "zoostack_vm_disk_written_bytes_total",
            type: "counter",
            help: "Bytes a VM wrote to its disks since it started.",
            value: { Self.bytes(kibibytes: $0.diskKbsWrite) }
        ),
        VirtualMachineFamily(
            name: "zoostack_vm_disk_reads_total",
            type: "counter",
            help: "Read operations on a VM's disks since it started.",
            value: { "\($0.diskIoRead)" }
        ),
        VirtualMachineFamily(
            name: "zoostack_vm_disk_writes_total",
            type: "counter",
            help: "Write operations on a VM's disks since it started.",
            value: { "\($0.diskIoWrite)" }
        ),
    ]

    /// The per-VM families; nothing when no real VM runs.
    static func virtualMachines(_ samples: [CloudMetrics.VirtualMachineSample]) -> String {
        guard !samples.isEmpty else { return "" }
        let labels = samples.map { sample in
            "{zone=\"\(Self.escape(sample.zone))\",hostname=\"\(Self.escape(sample.host))\","
                + "id=\"\(Self.escape(sample.stats.id))\",name=\"\(Self.escape(sample.name))\"}"
        }
        var text = ""
        for family in Self.virtualMachineFamilies {
            text += "# HELP \(family.name) \(family.help)\n# TYPE \(family.name) \(family.type)\n"
            for (sample, labels) in zip(samples, labels) {
                text += "\(family.name)\(labels) \(family.value(sample.stats))\n"
            }
        }
        return text
    }

    /// KiB as bytes, saturating.
    static func bytes(kibibytes: Int) -> String {
        let (bytes, overflow) = max(kibibytes, 0).multipliedReportingOverflow(by: 1024)
        return overflow ? "\(Int.max)" : "\(bytes)"
    }
}
