/// The metrics endpoint's settings (CloudStack's `PrometheusExporterServer` keys).
extension GlobalSettings {
    /// `prometheus.exporter.allowed.ips`: who may scrape `/metrics`.
    public static let prometheusAllowedIPs = "prometheus.exporter.allowed.ips"

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
        )
    ]
}
