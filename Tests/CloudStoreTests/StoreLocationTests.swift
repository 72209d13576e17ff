import Testing

@testable import CloudStore

struct StoreLocationTests {
    @Test func locationsParse() throws {
        #expect(try StoreLocation(parsing: "data/zoostack.sqlite") == .sqlite(path: "data/zoostack.sqlite"))
        #expect(try StoreLocation(parsing: "sqlite:/var/lib/z.db") == .sqlite(path: "/var/lib/z.db"))
        #expect(try StoreLocation(parsing: "sqlite:///var/lib/z.db") == .sqlite(path: "/var/lib/z.db"))
        #expect(try StoreLocation(parsing: "sqlite::memory:") == .sqlite(path: nil))
        let url = "postgres://zoo:secret@db.example:5433/cloud"
        #expect(try StoreLocation(parsing: url) == .postgres(url: url))
        #expect(try StoreLocation(parsing: url).redacted == "postgres://zoo:***@db.example:5433/cloud")
        #expect(throws: StoreError.self) { try StoreLocation(parsing: "mysql://x@y/z") }
        #expect(throws: StoreError.self) { try StoreLocation(parsing: "postgres:///nohost") }
        #expect(throws: StoreError.self) { try StoreLocation(parsing: "") }
    }

    @Test func postgresDDLWidensIntegersAndReals() {
        let ddl = """
            CREATE TABLE t (id TEXT PRIMARY KEY, size INTEGER NOT NULL, created REAL, note TEXT DEFAULT 'REAL INTEGER', \
            "INTEGER" TEXT, integer_count INTEGER)
            """
        #expect(
            Migration.postgresTypes(ddl) == """
                CREATE TABLE t (id TEXT PRIMARY KEY, size BIGINT NOT NULL, created DOUBLE PRECISION, \
                note TEXT DEFAULT 'REAL INTEGER', "INTEGER" TEXT, integer_count BIGINT)
                """
        )
        let migration = Migration(version: 99, name: "x", statements: ["A INTEGER"], postgresStatements: ["B"])
        #expect(migration.statements(for: .sqlite) == ["A INTEGER"])
        #expect(migration.statements(for: .postgres) == ["B"])
    }
}
