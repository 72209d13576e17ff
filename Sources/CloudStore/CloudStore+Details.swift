import CloudModel
import SQLiteKit

extension CloudStore {
    /// A VM's details (CloudStack's `user_vm_details`): free-form name/value pairs plus the settings that
    /// `updateVirtualMachine` changes (`group`, `haenable`, `userdata`, ...).
    /// - Parameter vmId: the VM.
    /// - Returns: its details.
    /// - Throws: ``StoreError``.
    public func details(of vmId: String) async throws(StoreError) -> [String: String] {
        try await self.details(of: [vmId])[vmId] ?? [:]
    }

    /// The details of a page of VMs, in one query.
    /// - Parameter vmIds: the VMs.
    /// - Returns: details by VM id.
    /// - Throws: ``StoreError``.
    public func details(of vmIds: [String]) async throws(StoreError) -> [String: [String: String]] {
        guard !vmIds.isEmpty else { return [:] }
        var list = SQLQueryString("SELECT vm_id, name, value FROM vm_detail WHERE vm_id IN (")
        for (index, id) in Set(vmIds).enumerated() {
            if index > 0 { list.appendInterpolation(unsafeRaw: ", ") }
            list.appendInterpolation(bind: id)
        }
        list.appendInterpolation(unsafeRaw: ")")
        let query = list
        let rows = try await self.guarded("read vm details") { try await self.sql.raw(query).all() }
        var result: [String: [String: String]] = [:]
        for row in rows {
            guard let vmId = try? row.decode(column: "vm_id", as: String.self),
                let name = try? row.decode(column: "name", as: String.self),
                let value = try? row.decode(column: "value", as: String.self)
            else { continue }
            result[vmId, default: [:]][name] = value
        }
        return result
    }

    /// Sets (or, with a nil value, removes) VM details.
    /// - Parameters:
    ///   - vmId: the VM.
    ///   - values: name → value, nil to remove.
    /// - Throws: ``StoreError``.
    public func setDetails(of vmId: String, _ values: [String: String?]) async throws(StoreError) {
        for (name, value) in values {
            try await self.guarded("write vm detail") {
                if let value {
                    try await self.sql.raw(
                        """
                        INSERT INTO vm_detail (vm_id, name, value) VALUES (\(bind: vmId), \(bind: name), \(bind: value)) \
                        ON CONFLICT (vm_id, name) DO UPDATE SET value = excluded.value
                        """
                    ).run()
                } else {
                    try await self.sql.raw("DELETE FROM vm_detail WHERE vm_id = \(bind: vmId) AND name = \(bind: name)")
                        .run()
                }
            }
        }
    }
}

extension CloudStore {
    /// How many VMs carry a detail with this value (e.g. the VMs an ISO is attached to).
    /// - Parameters:
    ///   - name: the detail's name.
    ///   - value: its value.
    /// - Returns: the count.
    /// - Throws: ``StoreError``.
    public func virtualMachines(withDetail name: String, value: String) async throws(StoreError) -> Int {
        try await self.guarded("count vm details") {
            try await self.sql.raw(
                "SELECT count(*) AS n FROM vm_detail WHERE name = \(bind: name) AND value = \(bind: value)"
            ).first(decodingColumn: "n", as: Int.self) ?? 0
        }
    }
}
