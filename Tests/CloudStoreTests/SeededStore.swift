import CloudCore
import CloudStore
import CloudTestSupport
import Foundation
import Logging
import Synchronization

/// A store seeded as a fresh cloud's first start seeds it (``CloudBootstrap``: the root domain, the system and
/// admin accounts, the simulated zone with its hosts, guest network, templates, offerings and image stores),
/// without the API above it.
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
        // The same seeding as a first start (CloudBootstrap), without the API above it.
        _ = try await CloudBootstrap.run(
            store: store,
            endpoint: "http://127.0.0.1:8080/client/api",
            logger: Logger(label: "test"),
            recover: false
        )
        return store
    }
}
