import CloudStore
import Foundation
import ZooKeeperTestSupport

/// The database a store test runs on: each backend-parameterized test runs on both.
public enum TestBackend: String, Sendable, CaseIterable, CustomStringConvertible {
    /// SQLite: in memory, or a temporary file where two opens must share it.
    case sqlite
    /// A fresh database on the process's throwaway PostgreSQL cluster (``PostgresTestCluster``).
    case postgres

    public var description: String { self.rawValue }

    /// The backend of tests that run on one database: SQLite, or what `ZOOSTACK_TEST_BACKEND` names (`postgres`
    /// runs such suites on PostgreSQL).
    public static let `default` =
        TestBackend(rawValue: ProcessInfo.processInfo.environment["ZOOSTACK_TEST_BACKEND"] ?? "") ?? .sqlite

    /// A new, empty database's location (SQLite in memory).
    ///
    /// - Returns: The location.
    /// - Throws: ``PostgresTestCluster``'s errors when PostgreSQL does not start.
    public func freshLocation() async throws -> StoreLocation {
        switch self {
        case .sqlite: .sqlite(path: nil)
        case .postgres: .postgres(url: try await PostgresTestCluster.shared().createDatabase())
        }
    }

    /// A new, empty database's location that two opens share (a temporary file for SQLite).
    ///
    /// - Returns: The location.
    /// - Throws: ``PostgresTestCluster``'s errors when PostgreSQL does not start.
    public func sharedLocation() async throws -> StoreLocation {
        switch self {
        case .sqlite:
            let path = FileManager.default.temporaryDirectory
                .appendingPathComponent("zoostack-store-\(UUID().uuidString).sqlite").path
            for suffix in ["", "-wal", "-shm"] { TemporaryPaths.removeAtExit(path + suffix) }
            return .sqlite(path: path)
        case .postgres:
            return try await self.freshLocation()
        }
    }
}
