/// One schema migration: a version number and the statements that take the schema to it.
public struct Migration: Sendable {
    /// Monotonic version; applied in order, recorded in `schema_migrations`.
    public var version: Int
    /// Human-readable name.
    public var name: String
    /// DDL statements, portable between SQLite and PostgreSQL.
    public var statements: [String]

    /// Creates a migration.
    public init(version: Int, name: String, statements: [String]) {
        self.version = version
        self.name = name
        self.statements = statements
    }
}
