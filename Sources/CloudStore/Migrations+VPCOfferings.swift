extension Migrations {
    /// VPC offerings as rows (before, one fixed `Default VPC offering` that VPCs name by its fixed id, which the
    /// seeded row keeps).
    static let vpcOfferings = Migration(
        version: 19,
        name: "VPC offerings: the defaults a fresh CloudStack has, and the admin's own",
        statements: [
            """
            CREATE TABLE vpc_offering (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, display_text TEXT NOT NULL,
              state TEXT NOT NULL, is_default INTEGER NOT NULL, services TEXT NOT NULL,
              redundant_router INTEGER NOT NULL, distributed_router INTEGER NOT NULL, created REAL NOT NULL)
            """
        ]
    )
}
