import CloudStore
import Logging
import Synchronization

/// Stores opened by the tests stay open until the process exits (SQLiteNIO asserts that a connection is closed
/// before it is released; in-memory databases cost nothing to keep).
enum OpenStores {
    static let stores = Mutex<[CloudStore]>([])

    /// A new in-memory SQLite store, kept open.
    static func inMemory() async throws -> CloudStore {
        let store = try await CloudStore.open(.sqlite(path: nil), logger: Logger(label: "test"))
        Self.stores.withLock { $0.append(store) }
        return store
    }
}
