import CloudModel
import CloudStore
import CloudTestSupport
import Foundation
import Logging
import Orchestrator
import Synchronization

/// A store seeded as a fresh cloud's first start seeds it (the root domain, the system account, the simulated
/// zone with its hosts, guest network, templates, offerings and image stores), without the API above it.
enum SeededStore {
    /// Stores stay open until the test process exits: SQLiteNIO asserts that a connection is closed before it
    /// is released, and in-memory databases cost nothing to keep.
    static let openStores = Mutex<[CloudStore]>([])

    /// A seeded store on a fresh database of `backend`.
    static func make(backend: TestBackend = .default) async throws -> CloudStore {
        // One PostgreSQL connection per event loop: every test's store stays open until the process exits.
        let store = try await CloudStore.open(
            try await backend.freshLocation(),
            maxConnections: 2,
            logger: Logger(label: "test")
        )
        Self.openStores.withLock { $0.append(store) }
        let domainId = UUID().uuidString.lowercased()
        try await store.insertDomain(id: domainId, name: "ROOT", path: "/")
        let system = Account(
            id: UUID().uuidString.lowercased(),
            name: "system",
            domainId: domainId,
            role: .rootAdmin,
            created: Timestamp.now
        )
        try await store.insert(system)
        try await SimulatedZoneSeeder.seedIfEmpty(store: store, systemAccountId: system.id)
        try await SimulatedZoneSeeder.ensureImageStores(store: store)
        try await NetworkSeeder.ensure(store: store)
        return store
    }
}
