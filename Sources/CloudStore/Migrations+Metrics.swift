extension Migrations {
    // A metrics scrape counts VMs by zone and state and sums what each account uses (CloudStack's
    // PrometheusExporterImpl reads vm_instance and resource_count): covering indexes keep each of those one index
    // scan, however many VMs there are, instead of a scan of the table and a sort.
    static let metricsIndexes = Migration(
        version: 14,
        name: "indexes for metrics scrapes",
        statements: [
            "CREATE INDEX vm_instance_zone_state ON vm_instance (zone_id, state)",
            "CREATE INDEX vm_instance_usage ON vm_instance (account_id, state, cpu_number, memory)",
            "CREATE INDEX volume_usage ON volume (account_id, size)",
        ]
    )
}
