extension Migrations {
    // A login name is unique per domain, not globally (CloudStack resolves `login` in a domain); consecutive
    // failed logins are counted (`incorrect.login.attempts.allowed`). SQLite cannot drop the old column
    // constraint, so the table is rebuilt (the same statements on PostgreSQL).
    static let usersPerDomain = Migration(
        version: 13,
        name: "users: unique (domain_id, username), login attempts",
        statements: [
            """
            CREATE TABLE user_v13 (id TEXT PRIMARY KEY, account_id TEXT NOT NULL, domain_id TEXT NOT NULL,
              username TEXT NOT NULL, password_hash TEXT NOT NULL, firstname TEXT NOT NULL,
              lastname TEXT NOT NULL, email TEXT NOT NULL, api_key TEXT UNIQUE, secret_key TEXT,
              state TEXT NOT NULL, created REAL NOT NULL, login_attempts INTEGER NOT NULL DEFAULT 0,
              UNIQUE (domain_id, username))
            """,
            """
            INSERT INTO user_v13 (id, account_id, domain_id, username, password_hash, firstname, lastname, email,
              api_key, secret_key, state, created)
            SELECT u.id, u.account_id, COALESCE(a.domain_id, ''), u.username, u.password_hash, u.firstname,
              u.lastname, u.email, u.api_key, u.secret_key, u.state, u.created
            FROM "user" u LEFT JOIN account a ON a.id = u.account_id ORDER BY u.rowid
            """,
            "DROP TABLE \"user\"",
            "ALTER TABLE user_v13 RENAME TO \"user\"",
        ]
    )
}
