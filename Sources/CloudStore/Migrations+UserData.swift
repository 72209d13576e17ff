extension Migrations {
    /// Registered user data (CloudStack's `user_data`) and the user data linked to templates.
    static let userData = Migration(
        version: 22,
        name: "registered user data and its links to templates",
        statements: [
            """
            CREATE TABLE user_data (id TEXT PRIMARY KEY, name TEXT NOT NULL, account_id TEXT NOT NULL,
              user_data TEXT NOT NULL, params TEXT NOT NULL, created REAL NOT NULL, UNIQUE (account_id, name))
            """,
            "CREATE TABLE template_user_data (id TEXT PRIMARY KEY, user_data_id TEXT NOT NULL, policy TEXT NOT NULL)",
        ]
    )

    /// What the rules' update commands change besides their name and algorithm: whether the owner is shown a rule,
    /// and a load balancer rule's description.
    static let ruleDisplay = Migration(
        version: 23,
        name: "network rules: fordisplay and a load balancer rule's description",
        statements: [
            "ALTER TABLE network_rule ADD COLUMN for_display INTEGER",
            "ALTER TABLE network_rule ADD COLUMN rule_description TEXT",
        ]
    )
}
