/// The metrics endpoint's settings (CloudStack's `PrometheusExporterServer` keys).
extension GlobalSettings {
    /// `prometheus.exporter.allowed.ips`: who may scrape `/metrics`.
    public static let prometheusAllowedIPs = "prometheus.exporter.allowed.ips"
    /// `prometheus.exporter.vm.stats.limit`: the most real VMs whose counters `/metrics` lists (ZooStack's own,
    /// bounding the per-VM series as CloudStack's `prometheus.exporter.offering.output.limit` bounds its own).
    public static let prometheusVMStatsLimit = "prometheus.exporter.vm.stats.limit"

    /// The metrics settings.
    static let metrics: [SettingDefinition] = [
        SettingDefinition(
            prometheusAllowedIPs,
            category: "Advanced",
            component: "PrometheusExporter",
            "Comma-separated addresses and CIDR blocks allowed to scrape /metrics on the API port; any other client "
                + "gets 403. Entries that are not an address or a CIDR block allow nobody.",
            type: .string,
            defaultValue: "127.0.0.0/8,::1"
        ),
        SettingDefinition(
            prometheusVMStatsLimit,
            category: "Advanced",
            component: "PrometheusExporter",
            "The most running VMs on real hosts whose CPU, memory, disk and network counters /metrics lists (by "
                + "id; 0 lists none). Each VM adds nine series.",
            type: .number(minimum: 0, maximum: 100_000),
            defaultValue: "1000"
        ),
    ]
}
