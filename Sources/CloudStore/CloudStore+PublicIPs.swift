import CloudModel
import Foundation
import SQLiteKit

extension CloudStore {
    /// Takes a free public address of the zone for an account with a compare-and-set on `state`, so two
    /// callers (or two management servers) never get the same one.
    /// - Parameters:
    ///   - zoneId: the zone.
    ///   - accountId: the new owner.
    ///   - networkId: the guest network it is associated with.
    ///   - vpcId: the VPC it is associated with.
    ///   - sourceNat: whether it is the network's source NAT address.
    /// - Returns: the address, or nil when the zone's range is exhausted.
    /// - Throws: ``StoreError``.
    public func allocatePublicIP(
        zoneId: String,
        accountId: String,
        networkId: String?,
        vpcId: String?,
        sourceNat: Bool
    ) async throws(StoreError) -> PublicIPAddress? {
        // One statement picks and takes the first free row: SQLite runs it as one write, so it never loses; on a
        // database where two such statements can interleave, the `state = 'Free'` re-check makes the loser take
        // nothing, and it tries again while free rows remain.
        for _ in 0..<1000 {
            let won = try await self.guarded("allocate public ip") {
                try await self.sql.raw(
                    """
                    UPDATE public_ip_address SET state = 'Allocated', account_id = \(bind: accountId), \
                    network_id = \(bind: networkId), vpc_id = \(bind: vpcId), is_source_nat = \(bind: sourceNat), \
                    allocated = \(bind: self.clock.now) WHERE id = (SELECT id FROM public_ip_address \
                    WHERE zone_id = \(bind: zoneId) AND state = 'Free' ORDER BY rowid LIMIT 1) AND state = 'Free' \
                    RETURNING *
                    """
                ).first(decoding: PublicIPAddress.self, keyDecodingStrategy: SnakeCaseKeys.strategy)
            }
            if let won { return won }
            let anyFree: String? = try await self.guarded("read free public ip") {
                try await self.sql.raw(
                    """
                    SELECT id FROM public_ip_address WHERE zone_id = \(bind: zoneId) AND state = 'Free' LIMIT 1
                    """
                ).first(decodingColumn: "id", as: String.self)
            }
            guard anyFree != nil else { return nil }
        }
        throw StoreError(.database, "could not allocate a public IP address")
    }

    /// Releases a public address with every rule on it (CloudStack's `cleanupIpResources`).
    /// - Parameter id: the address.
    /// - Throws: ``StoreError``.
    public func releasePublicIP(id: String) async throws(StoreError) {
        try await self.guarded("release public ip") {
            try await self.sql.raw(
                """
                DELETE FROM load_balancer_vm_map WHERE rule_id IN \
                (SELECT id FROM network_rule WHERE ip_address_id = \(bind: id))
                """
            ).run()
            try await self.sql.raw("DELETE FROM network_rule WHERE ip_address_id = \(bind: id)").run()
            try await self.sql.raw("DELETE FROM resource_tag WHERE resource_id = \(bind: id)").run()
            try await self.sql.raw(
                """
                UPDATE public_ip_address SET state = 'Free', account_id = NULL, network_id = NULL, vpc_id = NULL, \
                is_source_nat = 0, static_nat_vm_id = NULL, allocated = NULL WHERE id = \(bind: id)
                """
            ).run()
        }
    }

    /// Sets or clears the static NAT VM of a public address.
    /// - Parameters:
    ///   - id: the address.
    ///   - vmId: the VM, or nil to disable static NAT.
    ///   - networkId: the network the address moves to (the VM's), when given.
    /// - Throws: ``StoreError``.
    public func setStaticNat(id: String, vmId: String?, networkId: String? = nil) async throws(StoreError) {
        try await self.guarded("static nat") {
            if let networkId {
                try await self.sql.raw(
                    """
                    UPDATE public_ip_address SET static_nat_vm_id = \(bind: vmId), network_id = \(bind: networkId) \
                    WHERE id = \(bind: id)
                    """
                ).run()
            } else {
                try await self.sql.raw(
                    "UPDATE public_ip_address SET static_nat_vm_id = \(bind: vmId) WHERE id = \(bind: id)"
                ).run()
            }
        }
    }

    /// Adds a public range to a zone: one free row per address (`startIp`...`endIp`), skipping addresses the
    /// zone already has.
    /// - Parameters:
    ///   - zoneId: the zone.
    ///   - gateway: the range's gateway.
    ///   - netmask: its netmask.
    ///   - startIp: the first address.
    ///   - endIp: the last address.
    ///   - vlan: the VLAN.
    /// - Returns: how many addresses were added.
    /// - Throws: ``StoreError``.
    @discardableResult
    public func addPublicRange(
        zoneId: String,
        gateway: String,
        netmask: String,
        startIp: String,
        endIp: String,
        vlan: String = "untagged"
    ) async throws(StoreError) -> Int {
        guard let start = IPv4Subnet.address(startIp), let end = IPv4Subnet.address(endIp), start <= end,
            end - start < 65536
        else { throw StoreError(.notFound, "invalid public IP range \(startIp)-\(endIp)") }
        let existing = Set(
            try await self.list(PublicIPAddress.self, ListQuery(equals: [("zone_id", zoneId)])).items.map(\.address)
        )
        let rows = (start...end).map { IPv4Subnet.text($0) }.filter { !existing.contains($0) }.map {
            PublicIPAddress(
                id: UUID().uuidString.lowercased(),
                zoneId: zoneId,
                address: $0,
                gateway: gateway,
                netmask: netmask,
                vlan: vlan
            )
        }
        try await self.insertAll(rows)
        return rows.count
    }

    /// Deletes rules with their load-balancer memberships and tags.
    /// - Parameter ids: the rules.
    /// - Throws: ``StoreError``.
    public func deleteRules(_ ids: [String]) async throws(StoreError) {
        for id in ids {
            try await self.guarded("delete rule") {
                try await self.sql.raw("DELETE FROM load_balancer_vm_map WHERE rule_id = \(bind: id)").run()
                try await self.sql.raw("DELETE FROM resource_tag WHERE resource_id = \(bind: id)").run()
                try await self.sql.raw("DELETE FROM network_rule WHERE id = \(bind: id)").run()
            }
        }
    }
}

extension CloudStore {
    /// Associates a zone-level public address with a guest network (its first rule names one).
    /// - Parameters:
    ///   - id: the address.
    ///   - networkId: the network.
    /// - Throws: ``StoreError``.
    public func associatePublicIP(id: String, networkId: String) async throws(StoreError) {
        try await self.guarded("associate public ip") {
            try await self.sql.raw(
                """
                UPDATE public_ip_address SET network_id = \(bind: networkId) WHERE id = \(bind: id) \
                AND network_id IS NULL
                """
            ).run()
        }
    }
}
