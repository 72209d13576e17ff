extension Migrations {
    /// Dynamic roles (CloudStack's `roles` and `role_permissions`): the three default roles as rows with the
    /// fixed UUIDs accounts already carry, and an account's own role when it has one other than its type's default.
    static let roles = Migration(
        version: 22,
        name: "dynamic roles and their ordered permissions",
        statements: [
            """
            CREATE TABLE roles (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, role_type INTEGER NOT NULL,
              description TEXT NOT NULL, state TEXT NOT NULL, is_default INTEGER NOT NULL, is_public INTEGER NOT NULL,
              created REAL NOT NULL)
            """,
            """
            INSERT INTO roles (id, name, role_type, description, state, is_default, is_public, created) VALUES
              ('c5f2a1c0-0001-4c53-9f00-000000000001', 'Root Admin', 1, 'Default root admin role', 'ENABLED', 1, 1, 0),
              ('c5f2a1c0-0003-4c53-9f00-000000000003', 'Domain Admin', 2, 'Default domain admin role', 'ENABLED', 1, 1,
                0),
              ('c5f2a1c0-0004-4c53-9f00-000000000004', 'User', 0, 'Default user role', 'ENABLED', 1, 1, 0)
            """,
            """
            CREATE TABLE role_permissions (id TEXT PRIMARY KEY, role_id TEXT NOT NULL, rule TEXT NOT NULL,
              permission TEXT NOT NULL, description TEXT NOT NULL, sort_order INTEGER NOT NULL, UNIQUE (role_id, rule))
            """,
            "CREATE INDEX role_permissions_role ON role_permissions (role_id)",
            "ALTER TABLE account ADD COLUMN role_id TEXT",
        ]
    )
}
