import CloudModel
import SQLiteKit

extension NetworkOffering: StoreRow { public static var table: String { "network_offering" } }
extension VPCOffering: StoreRow { public static var table: String { "vpc_offering" } }
extension PublicIPAddress: StoreRow { public static var table: String { "public_ip_address" } }
extension NetworkRule: StoreRow { public static var table: String { "network_rule" } }
extension SSHKeyPair: StoreRow { public static var table: String { "ssh_key_pair" } }
extension SecurityGroup: StoreRow { public static var table: String { "security_group" } }
extension SecurityGroupRule: StoreRow { public static var table: String { "security_group_rule" } }
extension AffinityGroup: StoreRow { public static var table: String { "affinity_group" } }
extension InstanceGroup: StoreRow { public static var table: String { "instance_group" } }
extension VPC: StoreRow { public static var table: String { "vpc" } }
extension NetworkACLList: StoreRow { public static var table: String { "network_acl_list" } }
extension NetworkACLItem: StoreRow { public static var table: String { "network_acl_item" } }

extension CloudStore {
    /// The zone's default guest network: its first network that is shared and outside any VPC (one indexed
    /// read, the deploy path's only network query).
    /// - Parameter zoneId: the zone.
    /// - Returns: the network, or nil when the zone has none.
    /// - Throws: ``StoreError``.
    public func defaultNetwork(zoneId: String) async throws(StoreError) -> Network? {
        try await self.guarded("read default network") {
            try await self.sql.raw(
                """
                SELECT * FROM network WHERE zone_id = \(bind: zoneId) AND account_id IS NULL \
                AND guest_type = 'Shared' ORDER BY rowid LIMIT 1
                """
            ).first(decoding: Network.self, keyDecodingStrategy: SnakeCaseKeys.strategy)
        }
    }

    /// How many NICs are on each of `networkIds`.
    /// - Parameter networkIds: the networks.
    /// - Returns: counts by network (absent means none).
    /// - Throws: ``StoreError``.
    public func nicCounts(networkIds: [String]) async throws(StoreError) -> [String: Int] {
        guard !networkIds.isEmpty else { return [:] }
        var query: SQLQueryString = "SELECT network_id, count(*) AS n FROM nic WHERE network_id IN ("
        for (index, id) in networkIds.enumerated() {
            if index > 0 { query.appendInterpolation(unsafeRaw: ", ") }
            query.appendInterpolation(bind: id)
        }
        query.appendInterpolation(unsafeRaw: ") GROUP BY network_id")
        let statement = query
        return try await self.guarded("count nics") {
            var counts: [String: Int] = [:]
            for row in try await self.sql.raw(statement).all() {
                counts[try row.decode(column: "network_id", as: String.self)] = try row.decode(
                    column: "n",
                    as: Int.self
                )
            }
            return counts
        }
    }

    /// Removes a network with its rules, releasing its public IPs (the caller checked it holds no NICs).
    /// - Parameter id: the network.
    /// - Throws: ``StoreError``.
    public func deleteNetwork(id: String) async throws(StoreError) {
        try await self.guarded("delete network") {
            try await self.sql.raw(
                """
                DELETE FROM load_balancer_vm_map WHERE rule_id IN \
                (SELECT id FROM network_rule WHERE network_id = \(bind: id))
                """
            ).run()
            try await self.sql.raw("DELETE FROM network_rule WHERE network_id = \(bind: id)").run()
            try await self.sql.raw(
                """
                UPDATE public_ip_address SET state = 'Free', account_id = NULL, network_id = NULL, vpc_id = NULL, \
                is_source_nat = 0, static_nat_vm_id = NULL, allocated = NULL WHERE network_id = \(bind: id)
                """
            ).run()
            try await self.sql.raw("DELETE FROM resource_tag WHERE resource_id = \(bind: id)").run()
            try await self.sql.raw("DELETE FROM network WHERE id = \(bind: id)").run()
        }
    }

    /// Updates a network's name, display text and network domain.
    /// - Parameter network: the network with its new values.
    /// - Throws: ``StoreError``.
    public func updateNetwork(_ network: Network) async throws(StoreError) {
        try await self.guarded("update network") {
            try await self.sql.raw(
                """
                UPDATE network SET name = \(bind: network.name), display_text = \(bind: network.displayText), \
                network_domain = \(bind: network.networkDomain), state = \(bind: network.state) \
                WHERE id = \(bind: network.id)
                """
            ).run()
        }
    }

    /// Gives a VM one more NIC on `network` (not the default one), with a free address.
    /// - Parameters:
    ///   - vmId: the VM.
    ///   - network: the network.
    ///   - isDefault: whether it becomes the VM's default NIC.
    ///   - macAddress: its MAC.
    /// - Returns: the NIC.
    /// - Throws: ``StoreError`` (``StoreError/Kind/notFound`` when the range is exhausted).
    public func allocateNic(
        vmId: String,
        network: Network,
        isDefault: Bool,
        nicId: String,
        macAddress: String
    ) async throws(StoreError) -> Nic {
        var nic = try await self.allocateNic(vmId: vmId, network: network, nicId: nicId, macAddress: macAddress)
        if !isDefault {
            try await self.guarded("update nic") {
                try await self.sql.raw("UPDATE nic SET is_default = 0 WHERE id = \(bind: nic.id)").run()
            }
            nic.isDefault = false
        }
        return nic
    }

    /// Removes a NIC, freeing its address, with the port-forwarding rules and load-balancer memberships that
    /// reach the VM through that network.
    /// - Parameter nic: the NIC.
    /// - Throws: ``StoreError``.
    public func removeNic(_ nic: Nic) async throws(StoreError) {
        try await self.guarded("remove nic") {
            try await self.sql.raw(
                """
                DELETE FROM network_rule WHERE vm_id = \(bind: nic.vmId) AND network_id = \(bind: nic.networkId)
                """
            ).run()
            try await self.sql.raw(
                """
                DELETE FROM load_balancer_vm_map WHERE vm_id = \(bind: nic.vmId) AND rule_id IN \
                (SELECT id FROM network_rule WHERE network_id = \(bind: nic.networkId))
                """
            ).run()
            try await self.sql.raw(
                """
                UPDATE public_ip_address SET static_nat_vm_id = NULL WHERE static_nat_vm_id = \(bind: nic.vmId) \
                AND network_id = \(bind: nic.networkId)
                """
            ).run()
            try await self.sql.raw("DELETE FROM nic WHERE id = \(bind: nic.id)").run()
        }
    }

    /// Removes what refers to a VM that is being expunged: rules forwarding to it, load-balancer, security
    /// group, affinity group and instance group memberships, static NAT.
    /// - Parameter vmId: the VM.
    /// - Throws: ``StoreError``.
    func deleteNetworkReferences(vmId: String) async throws(StoreError) {
        try await self.guarded("expunge vm references") {
            try await self.sql.raw("DELETE FROM network_rule WHERE vm_id = \(bind: vmId)").run()
            try await self.sql.raw("DELETE FROM load_balancer_vm_map WHERE vm_id = \(bind: vmId)").run()
            try await self.sql.raw("DELETE FROM security_group_vm_map WHERE vm_id = \(bind: vmId)").run()
            try await self.sql.raw("DELETE FROM affinity_group_vm_map WHERE vm_id = \(bind: vmId)").run()
            try await self.sql.raw("DELETE FROM instance_group_vm_map WHERE vm_id = \(bind: vmId)").run()
            try await self.sql.raw(
                "UPDATE public_ip_address SET static_nat_vm_id = NULL WHERE static_nat_vm_id = \(bind: vmId)"
            ).run()
        }
    }
}

extension CloudStore {
    /// Gives the networks created before offerings existed (the zones' default networks) an offering.
    /// - Parameter offeringId: the shared offering.
    /// - Throws: ``StoreError``.
    public func adoptNetworks(offeringId: String) async throws(StoreError) {
        try await self.guarded("adopt networks") {
            try await self.sql.raw(
                """
                UPDATE network SET network_offering_id = \(bind: offeringId), \
                display_text = CASE display_text WHEN '' THEN name ELSE display_text END \
                WHERE network_offering_id IS NULL
                """
            ).run()
        }
    }
}

extension CloudStore {
    /// Makes `nicId` the VM's only default NIC.
    /// - Parameters:
    ///   - vmId: the VM.
    ///   - nicId: its NIC.
    /// - Throws: ``StoreError``.
    public func setDefaultNic(vmId: String, nicId: String) async throws(StoreError) {
        try await self.guarded("default nic") {
            try await self.sql.raw(
                """
                UPDATE nic SET is_default = CASE id WHEN \(bind: nicId) THEN 1 ELSE 0 END WHERE vm_id = \(bind: vmId)
                """
            ).run()
        }
    }
}

extension CloudStore {
    /// Removes a VPC (the caller checked it has no tiers) with its ACL lists, releasing its public IPs.
    /// - Parameter id: the VPC.
    /// - Throws: ``StoreError``.
    public func deleteVPC(id: String) async throws(StoreError) {
        try await self.guarded("delete vpc") {
            try await self.sql.raw(
                """
                DELETE FROM network_acl_item WHERE acl_id IN (SELECT id FROM network_acl_list WHERE vpc_id = \(bind: id))
                """
            ).run()
            try await self.sql.raw("DELETE FROM network_acl_list WHERE vpc_id = \(bind: id)").run()
            try await self.sql.raw(
                """
                DELETE FROM network_rule WHERE ip_address_id IN \
                (SELECT id FROM public_ip_address WHERE vpc_id = \(bind: id))
                """
            ).run()
            try await self.sql.raw(
                """
                UPDATE public_ip_address SET state = 'Free', account_id = NULL, network_id = NULL, vpc_id = NULL, \
                is_source_nat = 0, static_nat_vm_id = NULL, allocated = NULL WHERE vpc_id = \(bind: id)
                """
            ).run()
            try await self.sql.raw("DELETE FROM resource_tag WHERE resource_id = \(bind: id)").run()
            try await self.sql.raw("DELETE FROM vpc WHERE id = \(bind: id)").run()
        }
    }
}

extension CloudStore {
    /// Replaces the ACL list of a VPC tier.
    /// - Parameters:
    ///   - networkId: the tier.
    ///   - aclId: the list.
    /// - Throws: ``StoreError``.
    public func setNetworkACL(networkId: String, aclId: String) async throws(StoreError) {
        try await self.guarded("replace acl") {
            try await self.sql.raw("UPDATE network SET acl_id = \(bind: aclId) WHERE id = \(bind: networkId)").run()
        }
    }
}

extension CloudStore {
    /// The first of `networkIds` on which a VM (not expunging) named `hostName` already has a NIC: CloudStack's
    /// `listDistinctHostNames(networkId)` check that a host name is unique in its networks.
    /// - Parameters:
    ///   - hostName: the VM name.
    ///   - networkIds: the networks the new VM joins.
    /// - Returns: the network's id, or nil when the name is free on all of them.
    /// - Throws: ``StoreError``.
    public func networkUsingHostName(_ hostName: String, networkIds: [String]) async throws(StoreError) -> String? {
        guard !networkIds.isEmpty else { return nil }
        var query: SQLQueryString = """
            SELECT nic.network_id FROM nic JOIN vm_instance ON vm_instance.id = nic.vm_id \
            WHERE vm_instance.name = \(bind: hostName) AND vm_instance.state <> 'Expunging' AND nic.network_id IN (
            """
        for (index, id) in networkIds.enumerated() {
            if index > 0 { query.appendInterpolation(unsafeRaw: ", ") }
            query.appendInterpolation(bind: id)
        }
        query.appendInterpolation(unsafeRaw: ") ORDER BY nic.network_id LIMIT 1")
        let statement = query
        return try await self.guarded("find host name") {
            try await self.sql.raw(statement).first(decodingColumn: "network_id", as: String.self)
        }
    }
}
