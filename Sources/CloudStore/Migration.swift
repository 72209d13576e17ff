/// One schema migration: a version number and the statements that take the schema to it.
public struct Migration: Sendable {
    /// Monotonic version; applied in order, recorded in `schema_migrations`.
    public var version: Int
    /// Human-readable name.
    public var name: String
    /// DDL statements, portable between SQLite and PostgreSQL (see ``statements(for:)`` for the type mapping).
    public var statements: [String]
    /// PostgreSQL's statements when its DDL must differ beyond the type mapping; nil (the rule) uses ``statements``.
    public var postgresStatements: [String]?

    /// Creates a migration.
    public init(version: Int, name: String, statements: [String], postgresStatements: [String]? = nil) {
        self.version = version
        self.name = name
        self.statements = statements
        self.postgresStatements = postgresStatements
    }

    /// The statements to run on a database.
    ///
    /// The schema is written once, in SQLite's words; on PostgreSQL the column types are mapped word for word:
    /// `INTEGER` → `BIGINT` (SQLite's integers are 64-bit: memory and sizes in bytes overflow PostgreSQL's 32-bit
    /// `INTEGER`) and `REAL` → `DOUBLE PRECISION` (PostgreSQL's `REAL` is 32-bit; timestamps need 64). Flags stay
    /// integers (0/1) on both.
    /// - Parameter dialect: the database's dialect.
    /// - Returns: the DDL.
    public func statements(for dialect: StoreDialect) -> [String] {
        switch dialect {
        case .sqlite: self.statements
        case .postgres: self.postgresStatements ?? self.statements.map(Self.postgresTypes)
        }
    }

    /// `INTEGER` → `BIGINT`, `REAL` → `DOUBLE PRECISION`, whole words outside quotes only.
    static func postgresTypes(_ statement: String) -> String {
        var result = ""
        var word = ""
        var quote: Character?
        func flush() {
            switch word {
            case "INTEGER": result += "BIGINT"
            case "REAL": result += "DOUBLE PRECISION"
            default: result += word
            }
            word = ""
        }
        for character in statement {
            if let open = quote {
                result.append(character)
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                flush()
                quote = character
                result.append(character)
            } else if character.isLetter || character.isNumber || character == "_" {
                word.append(character)
            } else {
                flush()
                result.append(character)
            }
        }
        flush()
        return result
    }
}

/// The SQL database behind a store.
public enum StoreDialect: Sendable, Hashable {
    /// SQLite, one connection.
    case sqlite
    /// PostgreSQL, a connection pool.
    case postgres
}
