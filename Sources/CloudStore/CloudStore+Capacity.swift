import CloudModel
import SQLiteKit

extension CloudStore {
    /// Reserves CPU and memory on a host with one compare-and-set: the `UPDATE` succeeds only while the host is
    /// Up and Enabled and `used + demand <= total × overprovisioning` holds for CPU and memory, so two concurrent
    /// reservations (on this management server or another) can never over-commit a host, whatever the planner
    /// saw and whatever lock it holds.
    /// - Parameters:
    ///   - hostId: the host.
    ///   - cpu: MHz.
    ///   - memory: bytes.
    /// - Returns: true when reserved, false when the host lacks capacity, is not Up and Enabled, or is gone.
    /// - Throws: ``StoreError``.
    public func reserveCapacity(hostId: String, cpu: Int, memory: Int) async throws(StoreError) -> Bool {
        let updated: String? = try await self.guarded("reserve capacity") {
            try await self.sql.raw(
                """
                UPDATE host SET cpu_used = cpu_used + \(bind: cpu), mem_used = mem_used + \(bind: memory), \
                version = version + 1 WHERE id = \(bind: hostId) AND state = 'Up' AND resource_state = 'Enabled' \
                AND cpu_used + \(bind: cpu) <= cpu_number * cpu_speed * cpu_overprovisioning \
                AND mem_used + \(bind: memory) <= memory * mem_overprovisioning RETURNING id
                """
            ).first(decodingColumn: "id", as: String.self)
        }
        guard updated != nil else { return false }
        self.hostChanges.changed(hostId)
        return true
    }

    /// Releases CPU and memory on a host (never below zero).
    /// - Parameters:
    ///   - hostId: the host.
    ///   - cpu: MHz.
    ///   - memory: bytes.
    /// - Throws: ``StoreError``.
    public func releaseCapacity(hostId: String, cpu: Int, memory: Int) async throws(StoreError) {
        try await self.guarded("release capacity") {
            try await self.sql.raw(
                """
                UPDATE host SET \
                cpu_used = CASE WHEN cpu_used > \(bind: cpu) THEN cpu_used - \(bind: cpu) ELSE 0 END, \
                mem_used = CASE WHEN mem_used > \(bind: memory) THEN mem_used - \(bind: memory) ELSE 0 END, \
                version = version + 1 WHERE id = \(bind: hostId)
                """
            ).run()
        }
        self.hostChanges.changed(hostId)
    }
}

/// What ``CloudStore/reserveCapacity(hostId:cpu:memory:assigningTo:updateCount:)`` did.
public enum CapacityAssignment: Sendable, Hashable {
    /// Reserved on the host, and the VM's row names the host.
    case assigned
    /// The host had no room (or is not Up and Enabled): nothing changed.
    case hostFull
    /// Reserved on the host, but the VM's row changed meanwhile and was left alone: release the reservation.
    case virtualMachineChanged
}

extension CloudStore {
    /// Reserves a starting VM's CPU and memory on a host and records the host on the VM's row, in one statement
    /// on PostgreSQL (so a management server that dies in between leaves no reservation without its VM: the
    /// orphaned-job sweep releases what the VM's row names); two statements on SQLite (one process).
    /// - Parameters:
    ///   - hostId: the host.
    ///   - cpu: MHz.
    ///   - memory: bytes.
    ///   - vmId: the VM.
    ///   - updateCount: the VM row's `update_count` (its compare-and-set).
    /// - Returns: what happened.
    /// - Throws: ``StoreError``.
    public func reserveCapacity(
        hostId: String,
        cpu: Int,
        memory: Int,
        assigningTo vmId: String,
        updateCount: Int
    ) async throws(StoreError) -> CapacityAssignment {
        let now = self.clock.now
        guard self.dialect == .postgres else {
            guard try await self.reserveCapacity(hostId: hostId, cpu: cpu, memory: memory) else { return .hostFull }
            let won: String? = try await self.guarded("assign vm host") {
                try await self.sql.raw(
                    """
                    UPDATE vm_instance SET host_id = \(bind: hostId), update_count = update_count + 1, \
                    updated = \(bind: now) WHERE id = \(bind: vmId) AND update_count = \(bind: updateCount) RETURNING id
                    """
                ).first(decodingColumn: "id", as: String.self)
            }
            return won == nil ? .virtualMachineChanged : .assigned
        }
        let row = try await self.guarded("reserve capacity for vm") {
            try await self.sql.raw(
                """
                WITH h AS (UPDATE host SET cpu_used = cpu_used + \(bind: cpu), mem_used = mem_used + \(bind: memory), \
                version = version + 1 WHERE id = \(bind: hostId) AND state = 'Up' AND resource_state = 'Enabled' \
                AND cpu_used + \(bind: cpu) <= cpu_number * cpu_speed * cpu_overprovisioning \
                AND mem_used + \(bind: memory) <= memory * mem_overprovisioning RETURNING id), \
                v AS (UPDATE vm_instance SET host_id = \(bind: hostId), update_count = update_count + 1, \
                updated = \(bind: now) WHERE id = \(bind: vmId) AND update_count = \(bind: updateCount) \
                AND EXISTS (SELECT 1 FROM h) RETURNING id) \
                SELECT (SELECT count(*) FROM h) AS reserved, (SELECT count(*) FROM v) AS assigned
                """
            ).first()
        }
        let reserved = try await self.guarded("read reservation") { try row?.decode(column: "reserved", as: Int.self) }
        let assigned = try await self.guarded("read reservation") { try row?.decode(column: "assigned", as: Int.self) }
        guard reserved == 1 else { return .hostFull }
        self.hostChanges.changed(hostId)
        return assigned == 1 ? .assigned : .virtualMachineChanged
    }
}

extension CloudStore {
    /// Moves `vm` to Stopped (compare-and-set on the state and `update_count` it was read with) and releases the
    /// CPU and memory it holds on its host, if it has one, in the same step.
    /// - Parameter vm: the VM as read.
    /// - Returns: whether the transition won.
    /// - Throws: ``StoreError``.
    public func stopVirtualMachine(_ vm: VirtualMachine) async throws(StoreError) -> Bool {
        guard let hostId = vm.hostId else {
            return try await self.transitionVirtualMachine(
                id: vm.id,
                from: vm.state,
                to: .stopped,
                updateCount: vm.updateCount,
                hostId: nil
            )
        }
        return try await self.transitionVirtualMachine(
            id: vm.id,
            from: vm.state,
            to: .stopped,
            updateCount: vm.updateCount,
            hostId: nil,
            releasing: hostId,
            cpu: vm.cpuDemand,
            memory: vm.memoryDemand
        )
    }

    /// Moves a VM to a new state (compare-and-set on its state and `update_count`) and, when that wins, releases
    /// its CPU and memory on `releasing` — in one statement on PostgreSQL, so a management server that dies in
    /// between leaves neither a VM still holding released capacity nor a stopped VM whose capacity stays reserved.
    /// - Parameters:
    ///   - id: the VM.
    ///   - from: its expected state.
    ///   - to: its new state.
    ///   - updateCount: its expected `update_count`.
    ///   - hostId: its new host (nil when it leaves its host).
    ///   - releasing: the host to release `cpu` and `memory` on.
    ///   - cpu: MHz.
    ///   - memory: bytes.
    /// - Returns: whether the transition won (nothing is released when it lost).
    /// - Throws: ``StoreError``.
    public func transitionVirtualMachine(
        id: String,
        from: VirtualMachineState,
        to: VirtualMachineState,
        updateCount: Int,
        hostId: String?,
        releasing releaseHostId: String,
        cpu: Int,
        memory: Int
    ) async throws(StoreError) -> Bool {
        guard self.dialect == .postgres else {
            guard
                try await self.transitionVirtualMachine(
                    id: id,
                    from: from,
                    to: to,
                    updateCount: updateCount,
                    hostId: hostId
                )
            else { return false }
            try await self.releaseCapacity(hostId: releaseHostId, cpu: cpu, memory: memory)
            return true
        }
        let won = try await self.guarded("update vm state and release capacity") {
            try await self.sql.raw(
                """
                WITH v AS (UPDATE vm_instance SET state = \(bind: to.rawValue), host_id = \(bind: hostId), \
                update_count = update_count + 1, updated = \(bind: self.clock.now) WHERE id = \(bind: id) \
                AND state = \(bind: from.rawValue) AND update_count = \(bind: updateCount) RETURNING id), \
                h AS (UPDATE host SET \
                cpu_used = CASE WHEN cpu_used > \(bind: cpu) THEN cpu_used - \(bind: cpu) ELSE 0 END, \
                mem_used = CASE WHEN mem_used > \(bind: memory) THEN mem_used - \(bind: memory) ELSE 0 END, \
                version = version + 1 WHERE id = \(bind: releaseHostId) AND EXISTS (SELECT 1 FROM v) RETURNING id) \
                SELECT (SELECT count(*) FROM v) AS won, (SELECT count(*) FROM h) AS released
                """
            ).first(decodingColumn: "won", as: Int.self)
        }
        guard won == 1 else { return false }
        self.hostChanges.changed(releaseHostId)
        return true
    }
}
