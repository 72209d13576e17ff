import CloudModel
import SQLiteKit

extension CloudStore {
    /// Reserves `size` bytes on a primary storage pool of `zoneId` with one compare-and-set: the pool with the
    /// most free space among those where `used + size <= capacity × factor` still holds is picked and charged in
    /// the same `UPDATE`, so concurrent reservations (on any management server) never over-commit a pool.
    /// - Parameters:
    ///   - zoneId: the zone.
    ///   - size: bytes.
    ///   - factor: `storage.overprovisioning.factor`.
    /// - Returns: the pool's id, or nil when no pool of the zone has room.
    /// - Throws: ``StoreError``.
    public func reservePrimaryStorage(zoneId: String, size: Int, factor: Double) async throws(StoreError) -> String? {
        try await self.guarded("reserve primary storage") {
            try await self.sql.raw(
                """
                UPDATE storage_pool SET used = used + \(bind: size) WHERE id = (SELECT id FROM storage_pool \
                WHERE zone_id = \(bind: zoneId) AND used + \(bind: size) <= capacity * \(bind: factor) \
                ORDER BY capacity * \(bind: factor) - used DESC, id LIMIT 1) \
                AND used + \(bind: size) <= capacity * \(bind: factor) RETURNING id
                """
            ).first(decodingColumn: "id", as: String.self)
        }
    }

    /// Grows (or, with a negative `delta`, shrinks) a reservation on one pool with a compare-and-set.
    /// - Parameters:
    ///   - poolId: the pool.
    ///   - delta: bytes to add (negative to give back).
    ///   - factor: `storage.overprovisioning.factor`.
    /// - Returns: false when growing would over-commit the pool.
    /// - Throws: ``StoreError``.
    public func adjustPrimaryStorage(poolId: String, delta: Int, factor: Double) async throws(StoreError) -> Bool {
        let updated: String? = try await self.guarded("adjust primary storage") {
            try await self.sql.raw(
                """
                UPDATE storage_pool \
                SET used = CASE WHEN used + \(bind: delta) > 0 THEN used + \(bind: delta) ELSE 0 END \
                WHERE id = \(bind: poolId) AND (CAST(\(bind: delta) AS BIGINT) <= 0 \
                OR used + \(bind: delta) <= capacity * \(bind: factor)) RETURNING id
                """
            ).first(decodingColumn: "id", as: String.self)
        }
        return updated != nil
    }

    /// Gives back `size` bytes on a pool (never below zero).
    /// - Parameters:
    ///   - poolId: the pool.
    ///   - size: bytes.
    /// - Throws: ``StoreError``.
    public func releasePrimaryStorage(poolId: String, size: Int) async throws(StoreError) {
        _ = try await self.adjustPrimaryStorage(poolId: poolId, delta: -size, factor: 1)
    }

    /// Attaches a detached volume to a VM at `deviceId` with a compare-and-set on `vm_id IS NULL`; the unique
    /// `(vm_id, device_id)` index refuses a slot another attachment took meanwhile.
    /// - Parameters:
    ///   - id: the volume.
    ///   - vmId: the VM.
    ///   - deviceId: the slot.
    ///   - poolId: the pool the volume now lives on.
    /// - Returns: false when the volume was attached meanwhile.
    /// - Throws: ``StoreError`` (``StoreError/Kind/duplicate`` when the slot is taken).
    public func attachVolume(
        id: String,
        vmId: String,
        deviceId: Int,
        poolId: String?
    ) async throws(StoreError)
        -> Bool
    {
        let updated: String? = try await self.guarded("attach volume") {
            try await self.sql.raw(
                """
                UPDATE volume SET vm_id = \(bind: vmId), device_id = \(bind: deviceId), state = 'Ready', \
                pool_id = \(bind: poolId), attached = \(bind: self.clock.now) \
                WHERE id = \(bind: id) AND vm_id IS NULL RETURNING id
                """
            ).first(decodingColumn: "id", as: String.self)
        }
        return updated != nil
    }

    /// Detaches a volume from `vmId` (a compare-and-set on its current VM).
    /// - Parameters:
    ///   - id: the volume.
    ///   - vmId: the VM it must be attached to.
    /// - Returns: false when it was not attached to that VM.
    /// - Throws: ``StoreError``.
    public func detachVolume(id: String, from vmId: String) async throws(StoreError) -> Bool {
        let updated: String? = try await self.guarded("detach volume") {
            try await self.sql.raw(
                """
                UPDATE volume SET vm_id = NULL, device_id = NULL WHERE id = \(bind: id) AND vm_id = \(bind: vmId) \
                RETURNING id
                """
            ).first(decodingColumn: "id", as: String.self)
        }
        return updated != nil
    }

    /// Deletes a detached volume with its snapshot policies and tags, giving its space back to its pool.
    /// - Parameter volume: the volume as read (its pool and size are released).
    /// - Returns: false when it was attached (or deleted) meanwhile.
    /// - Throws: ``StoreError``.
    public func deleteVolume(_ volume: Volume) async throws(StoreError) -> Bool {
        let deleted: String? = try await self.guarded("delete volume") {
            try await self.sql.raw("DELETE FROM volume WHERE id = \(bind: volume.id) AND vm_id IS NULL RETURNING id")
                .first(decodingColumn: "id", as: String.self)
        }
        guard deleted != nil else { return false }
        try await self.guarded("delete volume dependants") {
            try await self.sql.raw("DELETE FROM snapshot_policy WHERE volume_id = \(bind: volume.id)").run()
            try await self.sql.raw(
                "DELETE FROM resource_tag WHERE resource_id = \(bind: volume.id) AND resource_type = 'Volume'"
            ).run()
        }
        if let poolId = volume.poolId { try await self.releasePrimaryStorage(poolId: poolId, size: volume.size) }
        return true
    }

    /// Sets a volume's size (resize, revert) and state.
    /// - Parameters:
    ///   - id: the volume.
    ///   - size: bytes.
    ///   - diskOfferingId: its new offering, or nil to keep it.
    /// - Throws: ``StoreError``.
    public func setVolumeSize(id: String, size: Int, diskOfferingId: String?) async throws(StoreError) {
        try await self.guarded("resize volume") {
            try await self.sql.raw(
                """
                UPDATE volume SET size = \(bind: size), \
                disk_offering_id = coalesce(\(bind: diskOfferingId), disk_offering_id) WHERE id = \(bind: id)
                """
            ).run()
        }
    }

    /// Records where a volume's file is on its primary storage (CloudStack's volume `path`), once: a path already
    /// set is kept.
    /// - Parameters:
    ///   - id: the volume.
    ///   - path: the file's name on the pool.
    /// - Returns: the path the volume has now.
    /// - Throws: ``StoreError``.
    public func assignVolumePath(id: String, path: String) async throws(StoreError) -> String {
        try await self.guarded("assign volume path") {
            try await self.sql.raw(
                "UPDATE volume SET path = \(bind: path) WHERE id = \(bind: id) AND path IS NULL"
            ).run()
            let stored = try await self.sql.raw("SELECT path FROM volume WHERE id = \(bind: id)")
                .first(decodingColumn: "path", as: String?.self)
            return (stored ?? nil) ?? path
        }
    }

    /// The volumes attached to a VM.
    /// - Parameter vmId: the VM.
    /// - Returns: its volumes.
    /// - Throws: ``StoreError``.
    public func volumes(of vmId: String) async throws(StoreError) -> [Volume] {
        try await self.list(Volume.self, ListQuery(equals: [("vm_id", vmId)])).items
    }

    /// Removes the volumes, snapshots and snapshot policies an account owns, giving their space back.
    /// - Parameter accountId: the account.
    /// - Throws: ``StoreError``.
    public func deleteStorage(ofAccount accountId: String) async throws(StoreError) {
        for volume in try await self.list(Volume.self, ListQuery(equals: [("account_id", accountId)])).items {
            try await self.guarded("detach account volume") {
                try await self.sql.raw("UPDATE volume SET vm_id = NULL WHERE id = \(bind: volume.id)").run()
            }
            _ = try await self.deleteVolume(volume)
        }
        try await self.guarded("delete account snapshots") {
            try await self.sql.raw("DELETE FROM snapshot WHERE account_id = \(bind: accountId)").run()
            try await self.sql.raw("DELETE FROM snapshot_policy WHERE account_id = \(bind: accountId)").run()
        }
    }

    /// Sets a snapshot's state.
    /// - Parameters:
    ///   - id: the snapshot.
    ///   - state: the new state.
    /// - Throws: ``StoreError``.
    public func setSnapshotState(id: String, state: String) async throws(StoreError) {
        try await self.guarded("update snapshot") {
            try await self.sql.raw("UPDATE snapshot SET state = \(bind: state) WHERE id = \(bind: id)").run()
        }
    }

    /// Records a real snapshot backed up: BackedUp, its file's virtual size and physical size.
    /// - Parameters:
    ///   - id: the snapshot.
    ///   - size: the file's virtual size in bytes.
    ///   - physicalSize: the bytes the file takes.
    /// - Throws: ``StoreError``.
    public func setSnapshotBackedUp(id: String, size: Int, physicalSize: Int) async throws(StoreError) {
        try await self.guarded("update snapshot") {
            try await self.sql.raw(
                """
                UPDATE snapshot SET state = 'BackedUp', size = \(bind: size), physical_size = \(bind: physicalSize)
                WHERE id = \(bind: id)
                """
            ).run()
        }
    }

    /// Deletes snapshot policies by id.
    /// - Parameter ids: the policies.
    /// - Throws: ``StoreError``.
    public func deleteSnapshotPolicies(_ ids: [String]) async throws(StoreError) {
        for id in ids { try await self.delete(SnapshotPolicy.self, id: id) }
    }
}
