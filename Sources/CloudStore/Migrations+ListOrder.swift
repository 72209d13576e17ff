extension Migrations {
    // Lists keep insertion order (`ORDER BY rowid LIMIT ... OFFSET ...`). SQLite's rowid is the table's own key;
    // PostgreSQL's is a BIGSERIAL column (`addRowIds`) that had no index, so every page of a large table sorted all
    // of its rows: a listVirtualMachines page over 1,000,000 VMs took 1.3 s in the database (an external merge
    // sort on disk), 4 ms with the index.
    static let listOrderIndexes = Migration(
        version: 21,
        name: "indexes for list order on PostgreSQL",
        statements: [],
        postgresStatements: [
            "CREATE INDEX vm_instance_rowid ON vm_instance (rowid)",
            "CREATE INDEX host_rowid ON host (rowid)",
            "CREATE INDEX volume_rowid ON volume (rowid)",
            "CREATE INDEX nic_rowid ON nic (rowid)",
            "CREATE INDEX event_rowid ON event (rowid)",
        ]
    )
}
