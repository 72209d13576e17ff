import CloudModel
import Foundation
import Logging
import NIOPosix
import PostgresKit
import SQLiteKit

extension CloudStore {
    /// Opens (creating if needed) a SQLite database and applies pending migrations.
    /// - Parameters:
    ///   - path: the database file, or nil for an in-memory database.
    ///   - clock: the cloud's clock (``clock``).
    ///   - logger: where failures are logged (never returned to API callers).
    /// - Returns: the ready store.
    /// - Throws: ``StoreError`` when the file cannot be opened or migrated.
    public static func open(
        path: String?,
        clock: WallClock = .system,
        logger: Logger = Logger(label: "zoostack.store")
    ) async throws(StoreError)
        -> CloudStore
    {
        try await self.open(.sqlite(path: path), clock: clock, logger: logger)
    }

    /// Opens the database at `url` (`postgres://user:pass@host:port/db`, `sqlite:PATH` or a plain path) and
    /// applies pending migrations.
    /// - Parameters:
    ///   - url: the location.
    ///   - clock: the cloud's clock (``clock``).
    ///   - logger: where failures are logged.
    /// - Returns: the ready store.
    /// - Throws: ``StoreError`` when the location is invalid or the database cannot be reached or migrated.
    public static func open(
        url: String,
        clock: WallClock = .system,
        logger: Logger = Logger(label: "zoostack.store")
    ) async throws(StoreError)
        -> CloudStore
    {
        try await self.open(try StoreLocation(parsing: url), clock: clock, logger: logger)
    }

    /// Opens a database and applies pending migrations.
    /// - Parameters:
    ///   - location: SQLite or PostgreSQL.
    ///   - maxConnections: PostgreSQL's pool size (at least one per event loop).
    ///   - clock: the cloud's clock (``clock``).
    ///   - logger: where failures are logged.
    /// - Returns: the ready store.
    /// - Throws: ``StoreError`` when the database cannot be reached or migrated.
    public static func open(
        _ location: StoreLocation,
        maxConnections: Int = 16,
        clock: WallClock = .system,
        logger: Logger = Logger(label: "zoostack.store")
    ) async throws(StoreError) -> CloudStore {
        switch location {
        case .sqlite(let path):
            let connection: SQLiteConnection
            do {
                connection = try await SQLiteConnection.open(storage: path.map { .file(path: $0) } ?? .memory).get()
            } catch {
                logger.error("cannot open database", metadata: ["error": "\(error)"])
                throw StoreError(.database, "cannot open the database")
            }
            let store = CloudStore(backend: .sqlite(connection), location: location, clock: clock, logger: logger)
            do {
                try await store.execute("PRAGMA journal_mode=WAL")
                try await store.execute("PRAGMA synchronous=NORMAL")
                try await store.migrate()
            } catch {
                await store.close()
                throw error
            }
            return store
        case .postgres(let url):
            let configuration: SQLPostgresConfiguration
            do {
                configuration = try SQLPostgresConfiguration(url: url)
            } catch {
                throw StoreError(.database, "invalid PostgreSQL URL \(location.redacted)")
            }
            let group = MultiThreadedEventLoopGroup.singleton
            let loops = Array(group.makeIterator()).count
            let pool = EventLoopGroupConnectionPool(
                source: PostgresConnectionSource(sqlConfiguration: configuration),
                maxConnectionsPerEventLoop: max(1, (maxConnections + loops - 1) / loops),
                pruneInterval: .seconds(60),
                logger: logger,
                on: group
            )
            let store = CloudStore(
                backend: .postgres(PostgresPool(pool: pool)),
                location: location,
                clock: clock,
                logger: logger
            )
            do {
                try await store.migrate()
            } catch {
                await store.close()
                logger.error("cannot open database", metadata: ["location": "\(location.redacted)"])
                throw StoreError(error.kind, "cannot open the database at \(location.redacted): \(error.message)")
            }
            return store
        }
    }

    /// Applies the pending migrations, each in its own transaction with its bookkeeping row. On PostgreSQL an
    /// advisory lock serializes management servers starting together, and every table gets a `rowid` sequence
    /// column: SQLite's implicit `rowid` is the insertion order lists keep (`ORDER BY rowid`), which PostgreSQL
    /// lacks.
    func migrate() async throws(StoreError) {
        let bookkeeping = Migration(
            version: 0,
            name: "schema_migrations",
            statements: [
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, \
                applied REAL NOT NULL)
                """
            ]
        )
        let dialect = self.dialect
        // Under the lock too: PostgreSQL's CREATE TABLE IF NOT EXISTS races with itself (a duplicate pg_type row).
        try await self.transaction("create schema_migrations") { session in
            if dialect == .postgres { try await session.raw("SELECT pg_advisory_xact_lock(8023919)").run() }
            for statement in bookkeeping.statements(for: dialect) {
                try await session.raw("\(unsafeRaw: statement)").run()
            }
        }
        let applied: Set<Int> = Set(try await self.schemaVersions())
        for migration in Migrations.all where !applied.contains(migration.version) {
            try await self.transaction("migrate to version \(migration.version)") { session in
                if dialect == .postgres {
                    // 0x7a6f6f = "zoo": held until this transaction ends.
                    try await session.raw("SELECT pg_advisory_xact_lock(8023919)").run()
                }
                let done = try await session.raw(
                    "SELECT version FROM schema_migrations WHERE version = \(bind: migration.version)"
                ).first(decodingColumn: "version", as: Int.self)
                guard done == nil else { return }
                for statement in migration.statements(for: dialect) {
                    try await session.raw("\(unsafeRaw: statement)").run()
                }
                if dialect == .postgres { try await Self.addRowIds(session) }
                try await session.raw(
                    """
                    INSERT INTO schema_migrations (version, name, applied) VALUES \
                    (\(bind: migration.version), \(bind: migration.name), \(bind: self.clock.now))
                    """
                ).run()
            }
        }
    }

    /// Gives every PostgreSQL table without one a `rowid BIGSERIAL` column (numbered in insertion order).
    private static func addRowIds(_ session: any SQLDatabase) async throws {
        let tables = try await session.raw(
            """
            SELECT CAST(t.table_name AS TEXT) AS name FROM information_schema.tables t \
            WHERE t.table_schema = current_schema() AND t.table_type = 'BASE TABLE' \
            AND t.table_name <> 'schema_migrations' AND NOT EXISTS (SELECT 1 FROM information_schema.columns c \
            WHERE c.table_schema = t.table_schema AND c.table_name = t.table_name AND c.column_name = 'rowid')
            """
        ).all(decodingColumn: "name", as: String.self)
        for table in tables {
            try await session.raw("ALTER TABLE \(ident: table) ADD COLUMN rowid BIGSERIAL").run()
        }
    }
}
