import CloudModel
import SQLiteKit

extension CloudStore {
    /// Rewrites every column of the row with `id` from `row` (catalogue edits: offerings, templates).
    /// - Parameters:
    ///   - row: the new content.
    ///   - id: its UUID.
    /// - Throws: ``StoreError`` (``StoreError/Kind/duplicate`` on a uniqueness violation).
    public func replace<Row: StoreRow>(_ row: Row, id: String) async throws(StoreError) {
        try await self.guarded("update \(Row.table)") {
            try await self.sql.update(Row.table)
                .set(model: row, keyEncodingStrategy: .convertToSnakeCase, nilEncodingStrategy: .asNil)
                .where("id", .equal, id)
                .run()
        }
        if Row.self == Host.self { self.hostChanges.changed(id) }
    }

    /// Deletes the row with `id`.
    /// - Parameters:
    ///   - type: the row type.
    ///   - id: its UUID.
    /// - Throws: ``StoreError``.
    public func delete<Row: StoreRow>(_ type: Row.Type, id: String) async throws(StoreError) {
        try await self.guarded("delete \(Row.table)") {
            try await self.sql.delete(from: Row.table).where("id", .equal, id).run()
        }
        if Row.self == Host.self { self.hostChanges.changedAll() }
    }

    /// Changes a VM's offering and sizing with the `update_count` compare-and-set, only while it is in `state`.
    /// - Parameters:
    ///   - vm: the VM as the caller saw it (its id, state and update counter are checked).
    ///   - offeringId: the new offering.
    ///   - cpuNumber: cores.
    ///   - cpuSpeed: MHz per core.
    ///   - memory: MiB.
    /// - Returns: true when this caller won the race.
    /// - Throws: ``StoreError``.
    public func resizeVirtualMachine(
        _ vm: VirtualMachine,
        offeringId: String,
        cpuNumber: Int,
        cpuSpeed: Int,
        memory: Int
    ) async throws(StoreError) -> Bool {
        let won: String? = try await self.guarded("resize vm") {
            try await self.sql.raw(
                """
                UPDATE vm_instance SET service_offering_id = \(bind: offeringId), cpu_number = \(bind: cpuNumber), \
                cpu_speed = \(bind: cpuSpeed), memory = \(bind: memory), update_count = update_count + 1 \
                WHERE id = \(bind: vm.id) AND state = \(bind: vm.state.rawValue) \
                AND update_count = \(bind: vm.updateCount) RETURNING id
                """
            ).first(decodingColumn: "id", as: String.self)
        }
        return won != nil
    }

    /// Renames a VM (`name` and `displayname`) with the `update_count` compare-and-set.
    /// - Parameters:
    ///   - vm: the VM as the caller saw it.
    ///   - name: the new host name.
    ///   - displayName: the new display name.
    /// - Returns: true when this caller won the race.
    /// - Throws: ``StoreError`` (``StoreError/Kind/duplicate`` when the name is taken).
    public func renameVirtualMachine(
        _ vm: VirtualMachine,
        name: String,
        displayName: String
    ) async throws(StoreError)
        -> Bool
    {
        let won: String? = try await self.guarded("rename vm") {
            try await self.sql.raw(
                """
                UPDATE vm_instance SET name = \(bind: name), display_name = \(bind: displayName), \
                update_count = update_count + 1 WHERE id = \(bind: vm.id) AND state = \(bind: vm.state.rawValue) \
                AND update_count = \(bind: vm.updateCount) RETURNING id
                """
            ).first(decodingColumn: "id", as: String.self)
        }
        return won != nil
    }
}
