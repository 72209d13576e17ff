import CloudModel
import CloudTestSupport
import Testing

@testable import CloudStore

/// The schema's migrations on both databases: SQLite and a real PostgreSQL (``PostgresTestCluster``).
struct SchemaMigrationTests {
    @Test(arguments: TestBackend.allCases)
    func migrationsApplyOnceAndReopeningIsANoOp(backend: TestBackend) async throws {
        let location = try await backend.sharedLocation()
        let first = try await CloudStore.open(location, maxConnections: 4)
        #expect(first.dialect == (backend == .postgres ? .postgres : .sqlite))
        let versions = try await first.schemaVersions()
        #expect(versions == Migrations.all.map(\.version).sorted())
        try await first.insert(Zone(id: "z1", name: "zone one", networkType: "Advanced", allocationState: "Enabled"))
        await first.close()

        let second = try await CloudStore.open(location, maxConnections: 4)
        #expect(try await second.schemaVersions() == versions)
        // Data survives the reopen; nothing was re-created.
        #expect(try await second.get(Zone.self, id: "z1")?.name == "zone one")
        await second.close()
    }

    @Test func managementServersStartingTogetherMigrateOnce() async throws {
        let location = try await TestBackend.postgres.freshLocation()
        let stores = try await withThrowingTaskGroup(of: CloudStore.self) { group in
            for _ in 0..<4 { group.addTask { try await CloudStore.open(location, maxConnections: 2) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for store in stores {
            #expect(try await store.schemaVersions() == Migrations.all.map(\.version).sorted())
            await store.close()
        }
    }

    @Test func migrationsAreRecordedOnce() async throws {
        let store = try await SeededStore.make()
        let versions = try await store.schemaVersions()
        #expect(versions == Migrations.all.map(\.version).sorted())
    }
}
