import CloudModel
import SQLiteKit
import Synchronization

extension CloudStore {
    /// Moves a VM from `from` to `to` with a compare-and-set on `update_count` (CloudStack's
    /// `VMInstanceDaoImpl.updateState`).
    /// - Parameters:
    ///   - id: the VM.
    ///   - from: the state the caller saw.
    ///   - to: the new state.
    ///   - updateCount: the counter the caller saw.
    ///   - hostId: the host to record (nil clears it).
    /// - Returns: true when this caller won the race.
    /// - Throws: ``StoreError``.
    public func transitionVirtualMachine(
        id: String,
        from: VirtualMachineState,
        to: VirtualMachineState,
        updateCount: Int,
        hostId: String?
    ) async throws(StoreError) -> Bool {
        let won: String? = try await self.guarded("update vm state") {
            try await self.sql.raw(
                """
                UPDATE vm_instance SET state = \(bind: to.rawValue), host_id = \(bind: hostId), \
                update_count = update_count + 1, updated = \(bind: self.clock.now) WHERE id = \(bind: id) AND state = \(bind: from.rawValue) \
                AND update_count = \(bind: updateCount) RETURNING id
                """
            ).first(decodingColumn: "id", as: String.self)
        }
        return won != nil
    }

    /// Lists the VMs in the given states (for restart recovery).
    /// - Parameter states: the states.
    /// - Returns: matching VMs.
    /// - Throws: ``StoreError``.
    public func virtualMachines(in states: [VirtualMachineState]) async throws(StoreError) -> [VirtualMachine] {
        var all: [VirtualMachine] = []
        for state in states {
            let page = try await self.list(VirtualMachine.self, ListQuery(equals: [("state", state.rawValue)]))
            all += page.items
        }
        return all
    }

    /// Removes a VM with its NICs (freeing their addresses) and root volume (freeing its primary storage); its
    /// data disks stay, detached.
    /// - Parameter id: the VM.
    /// - Throws: ``StoreError``.
    public func deleteVirtualMachine(id: String) async throws(StoreError) {
        try await self.deleteNetworkReferences(vmId: id)
        try await self.guarded("expunge vm") {
            try await self.sql.raw("DELETE FROM nic WHERE vm_id = \(bind: id)").run()
            try await self.sql.raw("DELETE FROM vm_detail WHERE vm_id = \(bind: id)").run()
            try await self.sql.raw(
                "DELETE FROM resource_tag WHERE resource_id = \(bind: id) AND resource_type = 'UserVm'"
            ).run()
            // The root volume's space goes back to its pool; data disks outlive the VM, detached. (A CASE, not
            // SQLite's two-argument max(), which PostgreSQL lacks.)
            try await self.sql.raw(
                """
                UPDATE storage_pool SET used = CASE WHEN used > (SELECT coalesce(sum(size), 0) FROM volume \
                WHERE volume.vm_id = \(bind: id) AND volume.type = 'ROOT' AND volume.pool_id = storage_pool.id) \
                THEN used - (SELECT coalesce(sum(size), 0) FROM volume \
                WHERE volume.vm_id = \(bind: id) AND volume.type = 'ROOT' AND volume.pool_id = storage_pool.id) \
                ELSE 0 END \
                WHERE id IN (SELECT pool_id FROM volume WHERE vm_id = \(bind: id) AND type = 'ROOT')
                """
            ).run()
            try await self.sql.raw(
                "UPDATE volume SET vm_id = NULL, device_id = NULL WHERE vm_id = \(bind: id) AND type <> 'ROOT'"
            ).run()
            try await self.sql.raw("DELETE FROM volume WHERE vm_id = \(bind: id)").run()
            try await self.sql.raw("DELETE FROM vm_instance WHERE id = \(bind: id)").run()
        }
    }

    /// The NICs of a VM.
    /// - Parameter vmId: the VM.
    /// - Returns: its NICs.
    /// - Throws: ``StoreError``.
    public func nics(of vmId: String) async throws(StoreError) -> [Nic] {
        try await self.list(Nic.self, ListQuery(equals: [("vm_id", vmId)])).items
    }

    /// Gives a VM a NIC with a free address of `network`: the address after the last one this server handed out
    /// (so an allocation costs one insert, not a scan of the network), falling back to the lowest free address
    /// when a few in a row are taken. The `UNIQUE (network_id, ip_address)` constraint guarantees an address is
    /// never handed out twice, even if two callers (or two management servers) race.
    /// - Parameters:
    ///   - vmId: the VM.
    ///   - network: the network.
    ///   - nicId: the new NIC's UUID.
    ///   - macAddress: its MAC.
    /// - Returns: the NIC.
    /// - Throws: ``StoreError`` with ``StoreError/Kind/notFound`` when the range is exhausted.
    public func allocateNic(
        vmId: String,
        network: Network,
        nicId: String,
        macAddress: String
    )
        async throws(StoreError) -> Nic
    {
        guard let start = IPv4(network.startIp), let end = IPv4(network.endIp), start.value <= end.value else {
            throw StoreError(.database, "network \(network.name) has an invalid range")
        }
        func nic(_ address: UInt32) -> Nic {
            Nic(
                id: nicId,
                vmId: vmId,
                networkId: network.id,
                ipAddress: IPv4(value: address).description,
                netmask: network.netmask,
                gateway: network.gateway,
                macAddress: macAddress,
                isDefault: true
            )
        }
        func after(_ address: UInt32) -> UInt32 { address >= end.value ? start.value : address + 1 }
        // The fast path: the next address after this server's last allocation.
        // Each caller takes its own candidate under the lock, so concurrent allocations try different addresses.
        func take() -> UInt32 {
            self.addressCursors.withLock { cursors in
                var candidate = cursors[network.id] ?? start.value
                if candidate < start.value || candidate > end.value { candidate = start.value }
                cursors[network.id] = after(candidate)
                return candidate
            }
        }
        for _ in 0..<8 {
            let allocated = nic(take())
            do {
                try await self.insert(allocated)
                return allocated
            } catch  where error.kind == .duplicate {
                continue
            }
        }
        // The slow path: the lowest address nobody holds.
        var lost: Set<UInt32> = []
        for _ in 0..<64 {
            let used: Set<String> = try await self.guarded("read addresses") {
                Set(
                    try await self.sql.raw("SELECT ip_address FROM nic WHERE network_id = \(bind: network.id)")
                        .all(decodingColumn: "ip_address", as: String.self)
                )
            }
            guard
                let free = (start.value...end.value).first(where: {
                    !lost.contains($0) && !used.contains(IPv4(value: $0).description)
                })
            else {
                throw StoreError(.notFound, "no free IP address in network \(network.name)")
            }
            do {
                let allocated = nic(free)
                try await self.insert(allocated)
                self.addressCursors.withLock { $0[network.id] = after(free) }
                return allocated
            } catch  where error.kind == .duplicate {
                // Another allocation took this address between our read and insert: the constraint caught it.
                lost.insert(free)
            }
        }
        throw StoreError(.database, "could not allocate an IP address")
    }
}
