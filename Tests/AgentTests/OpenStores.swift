import CloudStore
import CloudTestSupport
import Logging
import Synchronization

/// Stores opened by the tests stay open until the process exits (SQLiteNIO asserts that a connection is closed
/// before it is released; in-memory databases cost nothing to keep).
enum OpenStores {
    static let stores = Mutex<[CloudStore]>([])

    /// A new store on a fresh database of the backend (PostgreSQL: the process's throwaway cluster), kept open.
    static func fresh(postgres: Bool) async throws -> CloudStore {
        guard postgres else { return try await Self.inMemory() }
        let url = try await PostgresTestCluster.shared().createDatabase()
        let store = try await CloudStore.open(.postgres(url: url), maxConnections: 2, logger: Logger(label: "test"))
        Self.stores.withLock { $0.append(store) }
        return store
    }

    /// A new in-memory SQLite store, kept open.
    static func inMemory() async throws -> CloudStore {
        let store = try await CloudStore.open(.sqlite(path: nil), logger: Logger(label: "test"))
        Self.stores.withLock { $0.append(store) }
        return store
    }
}
