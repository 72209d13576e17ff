import CloudStore

extension CloudServices {
    /// Inserts a new row; one that collides with an existing one (a unique name) is CloudStack's 431 with `text`.
    /// - Parameters:
    ///   - row: the row.
    ///   - text: the 431's text, CloudStack's for the resource (e.g. "... already exists").
    /// - Throws: 431 on a duplicate; ``StoreError`` otherwise.
    func insert<Row: StoreRow>(_ row: Row, duplicate text: @autoclosure () -> String) async throws {
        do {
            try await self.store.insert(row)
        } catch {
            guard error.kind == .duplicate else { throw error }
            throw CloudError(.paramError, csErrorCode: 4350, text())
        }
    }
}
