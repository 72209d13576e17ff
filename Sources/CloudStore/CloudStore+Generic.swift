import CloudModel
import SQLiteKit

extension CloudStore {
    /// Inserts a row.
    /// - Parameter row: the row.
    /// - Throws: ``StoreError`` (``StoreError/Kind/duplicate`` on a uniqueness violation).
    public func insert<Row: StoreRow>(_ row: Row) async throws(StoreError) {
        try await self.insert(row, into: Row.table)
        if Row.self == Host.self { self.hostChanges.changedAll() }
    }

    /// Inserts many rows of a type, a few hundred to a statement (bulk seeding: benchmarks, imports).
    /// - Parameter rows: the rows.
    /// - Throws: ``StoreError``.
    public func insertAll<Row: StoreRow>(_ rows: [Row]) async throws(StoreError) {
        var start = 0
        while start < rows.count {
            let chunk = Array(rows[start..<min(start + 200, rows.count)])
            try await self.guarded("insert \(Row.table)") {
                try await self.sql.insert(into: Row.table).models(chunk, keyEncodingStrategy: .convertToSnakeCase).run()
            }
            start += chunk.count
        }
        if Row.self == Host.self { self.hostChanges.changedAll() }
    }

    /// Lists rows of a type.
    /// - Parameters:
    ///   - type: the row type.
    ///   - query: filters and paging.
    /// - Returns: the page and the total count.
    /// - Throws: ``StoreError``.
    public func list<Row: StoreRow>(
        _ type: Row.Type,
        _ query: ListQuery = ListQuery()
    ) async throws(StoreError)
        -> ListPage<Row>
    {
        try await self.list(Row.table, as: Row.self, query: query)
    }

    /// Fetches a row by id.
    /// - Parameters:
    ///   - type: the row type.
    ///   - id: its UUID.
    /// - Returns: the row, or nil.
    /// - Throws: ``StoreError``.
    public func get<Row: StoreRow>(_ type: Row.Type, id: String) async throws(StoreError) -> Row? {
        try await self.row(Row.table, id: id, as: Row.self)
    }

    /// Counts the rows of a type.
    /// - Parameter type: the row type.
    /// - Returns: the number of rows.
    /// - Throws: ``StoreError``.
    public func count<Row: StoreRow>(_ type: Row.Type) async throws(StoreError) -> Int {
        try await self.guarded("count") {
            try await self.sql.raw("SELECT count(*) AS n FROM \(ident: Row.table)")
                .first(decodingColumn: "n", as: Int.self) ?? 0
        }
    }
}
