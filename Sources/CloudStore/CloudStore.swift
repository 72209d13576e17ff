import Logging
import SQLiteKit
import Synchronization

/// The inventory database: every query ZooStack runs, over SQLKit.
///
/// One SQL code path: statements go through `SQLDatabase`, so a PostgreSQL `SQLDatabase` (postgres-kit) can be
/// dropped in later. Errors are mapped to ``StoreError`` and never carry SQL text or arguments.
public final class CloudStore: Sendable {
    let sql: any SQLDatabase
    let connection: SQLiteConnection
    let logger: Logger
    /// Per network, the address after the last one this store handed out (``allocateNic``'s fast path).
    let addressCursors = Mutex<[String: UInt32]>([:])
    /// The host rows this store changed, for in-memory inventories.
    public let hostChanges = HostChangeLog()

    private init(connection: SQLiteConnection, logger: Logger) {
        self.connection = connection
        self.sql = connection.sql()
        self.logger = logger
    }

    /// Opens (creating if needed) a SQLite database and applies pending migrations.
    /// - Parameters:
    ///   - path: the database file, or nil for an in-memory database.
    ///   - logger: where failures are logged (never returned to API callers).
    /// - Returns: the ready store.
    /// - Throws: ``StoreError`` when the file cannot be opened or migrated.
    public static func open(
        path: String?,
        logger: Logger = Logger(label: "zoostack.store")
    ) async throws(StoreError)
        -> CloudStore
    {
        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(storage: path.map { .file(path: $0) } ?? .memory).get()
        } catch {
            logger.error("cannot open database", metadata: ["error": "\(error)"])
            throw StoreError(.database, "cannot open the database")
        }
        let store = CloudStore(connection: connection, logger: logger)
        try await store.execute("PRAGMA journal_mode=WAL")
        try await store.execute("PRAGMA synchronous=NORMAL")
        try await store.migrate()
        return store
    }

    /// Closes the connection.
    public func close() async {
        try? await self.connection.close().get()
    }

    /// Runs `body`, mapping any database error to a ``StoreError`` without SQL details.
    func guarded<T>(_ what: String, _ body: () async throws -> T) async throws(StoreError) -> T {
        do {
            return try await body()
        } catch let error as StoreError {
            throw error
        } catch {
            let text = String(describing: error)
            // The reason code, not the message: SQLite's message is per connection and can be overwritten by a
            // concurrent statement before it is read ("constraintUniqueFailed: not an error").
            if (error as? SQLiteError)?.reason == .constraintUniqueFailed
                || (error as? SQLiteError)?.reason == .constraintPrimaryKeyFailed
                || text.lowercased().contains("unique")
            {
                throw StoreError(.duplicate, "\(what): already exists")
            }
            self.logger.error("database failure", metadata: ["operation": "\(what)", "error": "\(text)"])
            throw StoreError(.database, "\(what) failed")
        }
    }

    func execute(_ statement: String) async throws(StoreError) {
        try await self.guarded("statement") {
            try await self.sql.raw("\(unsafeRaw: statement)").run()
        }
    }

    private func migrate() async throws(StoreError) {
        try await self.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied REAL NOT NULL)"
        )
        let applied: Set<Int> = try await self.guarded("read migrations") {
            Set(
                try await self.sql.raw("SELECT version FROM schema_migrations").all(
                    decodingColumn: "version",
                    as: Int.self
                )
            )
        }
        for migration in Migrations.all where !applied.contains(migration.version) {
            try await self.execute("BEGIN")
            do {
                for statement in migration.statements { try await self.execute(statement) }
                try await self.guarded("record migration") {
                    try await self.sql.raw(
                        """
                        INSERT INTO schema_migrations (version, name, applied) VALUES \
                        (\(bind: migration.version), \(bind: migration.name), \(bind: Timestamp.now))
                        """
                    ).run()
                }
                try await self.execute("COMMIT")
            } catch {
                try? await self.execute("ROLLBACK")
                throw error
            }
        }
    }

    /// The applied schema versions, ascending.
    /// - Returns: every version recorded in `schema_migrations`.
    /// - Throws: ``StoreError``.
    public func schemaVersions() async throws(StoreError) -> [Int] {
        try await self.guarded("read migrations") {
            try await self.sql.raw("SELECT version FROM schema_migrations ORDER BY version")
                .all(decodingColumn: "version", as: Int.self)
        }
    }
}
