import CloudModel
import SQLiteKit

extension ImageStore: StoreRow {
    /// The `image_store` table.
    public static var table: String { "image_store" }
}

extension CloudStore {
    /// Bytes of volumes per zone.
    /// - Returns: zone id → the sum of its volumes' sizes.
    /// - Throws: ``StoreError``.
    public func volumeBytesByZone() async throws(StoreError) -> [String: Int] {
        try await self.sumByZone("volume")
    }

    /// Bytes of templates per zone.
    /// - Returns: zone id → the sum of its templates' sizes.
    /// - Throws: ``StoreError``.
    public func templateBytesByZone() async throws(StoreError) -> [String: Int] {
        try await self.sumByZone("template")
    }

    /// How many templates a zone holds.
    /// - Parameter zoneId: the zone.
    /// - Returns: the count.
    /// - Throws: ``StoreError``.
    public func templateCount(zoneId: String) async throws(StoreError) -> Int {
        try await self.list(Template.self, ListQuery(equals: [("zone_id", zoneId)], pageSize: 0)).total
    }

    /// Deletes an image store row.
    /// - Parameter id: the store.
    /// - Throws: ``StoreError``.
    public func deleteImageStore(id: String) async throws(StoreError) {
        try await self.guarded("delete image store") {
            try await self.sql.raw("DELETE FROM image_store WHERE id = \(bind: id)").run()
        }
    }

    private func sumByZone(_ table: String) async throws(StoreError) -> [String: Int] {
        try await self.guarded("sum \(table)") {
            let rows = try await self.sql.raw(
                "SELECT zone_id, CAST(coalesce(sum(size), 0) AS BIGINT) AS bytes FROM \(ident: table) GROUP BY zone_id"
            ).all()
            var sums: [String: Int] = [:]
            for row in rows {
                sums[try row.decode(column: "zone_id", as: String.self)] = try row.decode(column: "bytes", as: Int.self)
            }
            return sums
        }
    }
}
