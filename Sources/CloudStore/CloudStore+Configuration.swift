import CloudModel
import SQLiteKit

extension CloudStore {
    /// The stored global setting overrides (the `configuration` table holds only settings changed from their
    /// defaults).
    /// - Returns: name → value.
    /// - Throws: ``StoreError``.
    public func configurationValues() async throws(StoreError) -> [String: String] {
        try await self.guarded("read configuration") {
            let rows = try await self.sql.raw("SELECT name, value FROM configuration").all()
            var values: [String: String] = [:]
            for row in rows {
                values[try row.decode(column: "name", as: String.self)] = try row.decode(
                    column: "value",
                    as: String.self
                )
            }
            return values
        }
    }

    /// Stores a global setting's value (insert or replace).
    /// - Parameters:
    ///   - name: the setting.
    ///   - value: its new value.
    /// - Throws: ``StoreError``.
    public func setConfiguration(name: String, value: String) async throws(StoreError) {
        try await self.guarded("update configuration") {
            try await self.sql.raw(
                """
                INSERT INTO configuration (name, value) VALUES (\(bind: name), \(bind: value)) \
                ON CONFLICT (name) DO UPDATE SET value = excluded.value
                """
            ).run()
        }
    }

    /// Sets the overprovisioning factors every host's capacity compare-and-set checks against
    /// (`cpu.overprovisioning.factor`, `mem.overprovisioning.factor`); nil leaves a factor unchanged.
    /// - Parameters:
    ///   - cpu: the CPU factor.
    ///   - memory: the memory factor.
    /// - Throws: ``StoreError``.
    public func setHostOverprovisioning(cpu: Double?, memory: Double?) async throws(StoreError) {
        try await self.guarded("update overprovisioning") {
            if let cpu {
                try await self.sql.raw("UPDATE host SET cpu_overprovisioning = \(bind: cpu), version = version + 1")
                    .run()
            }
            if let memory {
                try await self.sql.raw(
                    "UPDATE host SET mem_overprovisioning = \(bind: memory), version = version + 1"
                ).run()
            }
        }
        self.hostChanges.changedAll()
    }
}

extension CloudStore {
    /// Removes a global setting's override, so its default applies again.
    /// - Parameter name: the setting.
    /// - Throws: ``StoreError``.
    public func deleteConfiguration(name: String) async throws(StoreError) {
        try await self.guarded("reset configuration") {
            try await self.sql.raw("DELETE FROM configuration WHERE name = \(bind: name)").run()
        }
    }
}
