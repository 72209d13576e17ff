import CloudAPI
import CloudCore
import CloudModel
import CloudTestSupport
import Foundation
import Logging
import Testing

@testable import CloudStore

/// Migration 13 (users unique per domain) keeps the users of a database written before it.
struct UserSchemaMigrationTests {
    @Test(arguments: TestBackend.allCases)
    func usersFromBeforeKeepWorkingAndGetTheirDomain(backend: TestBackend) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zoostack-users-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let location: StoreLocation =
            switch backend {
            case .sqlite: .sqlite(path: directory.appendingPathComponent("zoostack.sqlite").path)
            case .postgres: try await backend.freshLocation()
            }
        let logger = Logger(label: "test")
        let store = try await CloudStore.open(location, logger: logger)
        let admin = try #require(
            try await CloudBootstrap.run(
                store: store,
                endpoint: "http://127.0.0.1:0/client/api",
                logger: logger,
                simulatedHosts: 0
            )
        )
        let rootId = try #require(try await store.rootDomainId())
        // Back to the schema before version 13: the old table (a global unique username), rows copied over.
        let old = try #require(Migrations.all.first?.statements.first { $0.contains("CREATE TABLE \"user\"") })
        let columns =
            "id, account_id, username, password_hash, firstname, lastname, email, api_key, secret_key, state, "
        try await store.execute("CREATE TABLE user_copy AS SELECT * FROM \"user\"")
        try await store.execute("DROP TABLE \"user\"")
        try await store.execute(store.dialect == .postgres ? Migration.postgresTypes(old) : old)
        try await store.execute("INSERT INTO \"user\" (\(columns)created) SELECT \(columns)created FROM user_copy")
        try await store.execute("DROP TABLE user_copy")
        // PostgreSQL tables carry the rowid column migrations add (SQLite's is implicit).
        if store.dialect == .postgres { try await store.execute("ALTER TABLE \"user\" ADD COLUMN rowid BIGSERIAL") }
        try await store.execute("DELETE FROM schema_migrations WHERE version = 13")
        await store.close()

        let migrated = try await CloudStore.open(location, logger: logger)
        #expect(try await migrated.schemaVersions().contains(13))
        let user = try #require(try await migrated.user(named: "admin", domainId: rootId))
        #expect(user.domainId == rootId)
        #expect(try await migrated.loginAttempts(userId: user.id) == 0)
        let server = ManagementServer(core: CloudServices(store: migrated, logger: logger), logger: logger)
        let pairs = TestCloud.signedPairs("listZones", [:], apiKey: admin.apikey, secret: admin.secretkey)
        #expect(await server.handle(APIRequest(method: "GET", parameters: APIParameters(pairs))).status == 200)
        await migrated.close()
    }
}
