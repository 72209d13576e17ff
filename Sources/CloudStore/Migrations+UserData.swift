extension Migrations {
    /// Registered user data (CloudStack's `user_data`) and the user data linked to templates.
    static let userData = Migration(
        version: 23,
        name: "registered user data and its links to templates",
        statements: [
            """
            CREATE TABLE user_data (id TEXT PRIMARY KEY, name TEXT NOT NULL, account_id TEXT NOT NULL,
              user_data TEXT NOT NULL, params TEXT NOT NULL, created REAL NOT NULL, UNIQUE (account_id, name))
            """,
            "CREATE TABLE template_user_data (id TEXT PRIMARY KEY, user_data_id TEXT NOT NULL, policy TEXT NOT NULL)",
        ]
    )
}
