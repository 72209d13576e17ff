extension Migrations {
    /// Real volumes' measured sizes, one row per volume (replaced at each collection).
    static let volumeStats = Migration(
        version: 16,
        name: "real volumes: virtual and physical sizes measured by their host",
        statements: [
            """
            CREATE TABLE volume_stats (id TEXT PRIMARY KEY, virtual_size INTEGER NOT NULL,
              physical_size INTEGER NOT NULL, updated REAL NOT NULL)
            """
        ]
    )
}
