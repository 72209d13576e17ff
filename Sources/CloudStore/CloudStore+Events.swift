import CloudModel
import SQLKit

extension CloudStore {
    /// Inserts event rows, up to 500 to a statement (the event log's group commit). The statement is written
    /// directly rather than through row encoding: a deployment records three events.
    /// - Parameter events: the events.
    /// - Throws: ``StoreError``.
    public func insertEvents(_ events: [Event]) async throws(StoreError) {
        var start = 0
        while start < events.count {
            let chunk = events[start..<min(start + 500, events.count)]
            var statement = SQLQueryString(
                """
                INSERT INTO event (id, type, state, description, level, account_id, user_id, resource_id, \
                resource_type, start_id, archived, created) VALUES
                """
            )
            for (index, event) in chunk.enumerated() {
                statement.appendInterpolation(unsafeRaw: index == 0 ? " (" : ", (")
                for text in [event.id, event.type, event.state, event.description, event.level, event.accountId] {
                    statement.appendInterpolation(bind: text)
                    statement.appendInterpolation(unsafeRaw: ", ")
                }
                for optional in [event.userId, event.resourceId, event.resourceType, event.startId] {
                    if let text = optional {
                        statement.appendInterpolation(bind: text)
                    } else {
                        statement.appendInterpolation(unsafeRaw: "NULL")
                    }
                    statement.appendInterpolation(unsafeRaw: ", ")
                }
                statement.appendInterpolation(unsafeRaw: event.archived ? "1, " : "0, ")
                statement.appendInterpolation(bind: event.created)
                statement.appendInterpolation(unsafeRaw: ")")
            }
            let sql = statement
            try await self.guarded("insert event") { try await self.sql.raw(sql).run() }
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
