extension Migrations {
    /// Login sessions in the database, so that every management server sharing it honours them: hashes of the
    /// session's id and key (never the secrets), its user and when it was last used.
    static let loginSessions = Migration(
        version: 18,
        name: "login sessions shared by every management server",
        statements: [
            """
            CREATE TABLE login_session (id_hash TEXT PRIMARY KEY, key_hash TEXT NOT NULL, user_id TEXT NOT NULL,
              created REAL NOT NULL, last_used REAL NOT NULL)
            """,
            "CREATE INDEX login_session_user ON login_session (user_id)",
        ]
    )
}
