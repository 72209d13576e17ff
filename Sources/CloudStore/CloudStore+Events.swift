import CloudModel
import SQLKit

extension CloudStore {
    /// Inserts event rows, up to 500 to a statement (the event log's group commit).
    /// - Parameter events: the events.
    /// - Throws: ``StoreError``.
    public func insertEvents(_ events: [Event]) async throws(StoreError) {
        var start = 0
        while start < events.count {
            let chunk = Array(events[start..<min(start + 500, events.count)])
            try await self.guarded("insert event") {
                try await self.sql.insert(into: Event.table).models(
                    chunk,
                    keyEncodingStrategy: .convertToSnakeCase,
                    nilEncodingStrategy: .asNil
                )
                .run()
            }
            start += chunk.count
        }
    }

    /// Marks events or alerts archived (`archiveEvents`, `archiveAlerts`).
    /// - Parameters:
    ///   - type: ``Event`` or ``Alert``.
    ///   - ids: their UUIDs.
    /// - Throws: ``StoreError``.
    public func archive<Row: StoreRow>(_ type: Row.Type, ids: [String]) async throws(StoreError) {
        guard Row.self == Event.self || Row.self == Alert.self, !ids.isEmpty else { return }
        try await self.guarded("archive \(Row.table)") {
            try await self.sql.update(Row.table).set("archived", to: SQLLiteral.numeric("1"))
                .where("id", .in, ids).run()
        }
    }

    /// Deletes events or alerts (`deleteEvents`, `deleteAlerts`).
    /// - Parameters:
    ///   - type: ``Event`` or ``Alert``.
    ///   - ids: their UUIDs.
    /// - Throws: ``StoreError``.
    public func deleteLogEntries<Row: StoreRow>(_ type: Row.Type, ids: [String]) async throws(StoreError) {
        guard Row.self == Event.self || Row.self == Alert.self, !ids.isEmpty else { return }
        try await self.guarded("delete \(Row.table)") {
            try await self.sql.delete(from: Row.table).where("id", .in, ids).run()
        }
    }
}
