extension Migrations {
    /// Instance groups (CloudStack's `instance_group` and `instance_group_vm_map`); a VM is in at most one.
    static let instanceGroups = Migration(
        version: 20,
        name: "instance groups and their VMs",
        statements: [
            """
            CREATE TABLE instance_group (id TEXT PRIMARY KEY, name TEXT NOT NULL, account_id TEXT NOT NULL,
              created REAL NOT NULL, UNIQUE (account_id, name))
            """,
            """
            CREATE TABLE instance_group_vm_map (instance_group_id TEXT NOT NULL, vm_id TEXT NOT NULL PRIMARY KEY)
            """,
            "CREATE INDEX instance_group_vm_group ON instance_group_vm_map (instance_group_id)",
        ]
    )
}
