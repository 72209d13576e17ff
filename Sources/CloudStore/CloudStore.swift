import CloudModel
import Logging
import PostgresKit
import SQLiteKit
import Synchronization

/// The inventory database: every query ZooStack runs, over SQLKit, on SQLite or PostgreSQL.
///
/// One SQL code path: statements go through one `SQLDatabase` (a SQLite connection, or a PostgreSQL connection pool
/// behind ``PortablePostgresDatabase``), written in the subset both dialects share. Errors are mapped to
/// ``StoreError`` and never carry SQL text or arguments.
public final class CloudStore: Sendable {
    let sql: any SQLDatabase
    /// The database behind ``sql``.
    public let dialect: StoreDialect
    /// Where the database lives (the location it was opened with).
    public let location: StoreLocation
    let backend: StoreBackend
    let logger: Logger
    /// Per network, the address after the last one this store handed out (``allocateNic``'s fast path).
    let addressCursors = Mutex<[String: UInt32]>([:])
    /// The host rows this store changed, for in-memory inventories.
    public let hostChanges = HostChangeLog()
    /// The cloud's clock: the time the store stamps rows with, and that every service above it reads.
    public let clock: WallClock

    init(backend: StoreBackend, location: StoreLocation, clock: WallClock, logger: Logger) {
        self.backend = backend
        self.location = location
        self.clock = clock
        self.logger = logger
        switch backend {
        case .sqlite(let connection):
            self.sql = connection.sql()
            self.dialect = .sqlite
        case .postgres(let pool):
            self.sql = PortablePostgresDatabase(base: pool.pool.database(logger: logger).sql())
            self.dialect = .postgres
        }
    }

    /// Closes the connection (SQLite) or shuts the connection pool down (PostgreSQL).
    public func close() async {
        switch self.backend {
        case .sqlite(let connection): try? await connection.close().get()
        case .postgres(let pool): try? await pool.pool.shutdownAsync()
        }
    }

    /// Runs `body`, mapping any database error to a ``StoreError`` without SQL details.
    func guarded<T>(_ what: String, _ body: () async throws -> T) async throws(StoreError) -> T {
        do {
            return try await body()
        } catch let error as StoreError {
            throw error
        } catch {
            if Self.isUniqueViolation(error) { throw StoreError(.duplicate, "\(what): already exists") }
            // A cancelled caller (e.g. a stopping server's leader duties) is not a database failure.
            if error is CancellationError || Task.isCancelled { throw StoreError(.database, "\(what) cancelled") }
            self.logger.error(
                "database failure",
                metadata: ["operation": "\(what)", "error": "\(Self.describe(error))"]
            )
            throw StoreError(.database, "\(what) failed")
        }
    }

    /// An error for the server's log: PostgreSQL's SQLSTATE and message, or what failed underneath (never the
    /// statement or its binds, which `PSQLError`'s reflection would show).
    static func describe(_ error: any Error) -> String {
        guard let postgres = error as? PSQLError else { return "\(error)" }
        if let info = postgres.serverInfo {
            return "PostgreSQL \(info[.sqlState] ?? "?"): \(info[.message] ?? "")"
        }
        return "PostgreSQL \(postgres.code)\(postgres.underlying.map { ": \($0)" } ?? "")"
    }

    /// Whether `error` is a uniqueness (or primary key) violation on either database.
    static func isUniqueViolation(_ error: any Error) -> Bool {
        // The reason code, not the message: SQLite's message is per connection and can be overwritten by a
        // concurrent statement before it is read ("constraintUniqueFailed: not an error").
        if let sqlite = error as? SQLiteError {
            return sqlite.reason == .constraintUniqueFailed || sqlite.reason == .constraintPrimaryKeyFailed
        }
        // PostgreSQL's SQLSTATE 23505 unique_violation (PSQLError's description hides the server's message).
        if let postgres = error as? PSQLError {
            return postgres.serverInfo?[.sqlState] == "23505"
        }
        return String(describing: error).lowercased().contains("unique constraint")
    }

    /// Asks the database for a trivial answer (`SELECT 1`): whether it can be reached and answers now.
    /// - Throws: ``StoreError`` when it cannot.
    public func ping() async throws(StoreError) {
        try await self.execute("SELECT 1")
    }

    func execute(_ statement: String) async throws(StoreError) {
        try await self.guarded("statement") {
            try await self.sql.raw("\(unsafeRaw: statement)").run()
        }
    }

    /// Runs `body` in one transaction on one connection (a pooled PostgreSQL connection, or SQLite's only one):
    /// committed when it returns, rolled back when it throws.
    func transaction<T: Sendable>(
        _ what: String,
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws(StoreError) -> T {
        try await self.guarded(what) {
            try await self.sql.withSession { session in
                try await session.raw("BEGIN").run()
                do {
                    let result = try await body(session)
                    try await session.raw("COMMIT").run()
                    return result
                } catch {
                    try? await session.raw("ROLLBACK").run()
                    throw error
                }
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

/// The connection(s) behind a store.
enum StoreBackend: Sendable {
    /// One SQLite connection.
    case sqlite(SQLiteConnection)
    /// A PostgreSQL connection pool.
    case postgres(PostgresPool)
}

/// postgres-kit's connection pool (internally synchronized).
struct PostgresPool: @unchecked Sendable {
    let pool: EventLoopGroupConnectionPool<PostgresConnectionSource>
}
