import CloudModel
import CloudStore
import Foundation
import Orchestrator

/// Volume snapshots (CloudStack's `SnapshotManager`): create (BackingUp, then BackedUp in its job), list, delete
/// and revert.
public struct SnapshotService: Sendable {
    let services: CloudServices
    var store: CloudStore { self.services.store }

    /// Records a snapshot of a Ready volume, BackingUp, within the owner's snapshot and secondary storage limits;
    /// finish it with ``backUp(_:)``.
    /// - Parameters:
    ///   - access: the caller's access.
    ///   - volumeId: the volume.
    ///   - name: its name; nil for the VM's and volume's names and the time.
    ///   - policyId: the volume's policy whose interval it records; nil for MANUAL.
    /// - Returns: the snapshot.
    /// - Throws: 431 for a volume not Ready or a policy of another volume; 535 over a limit; ``Access`` errors.
    public func create(_ access: Access, volumeId: String, name: String?, policyId: String?) async throws -> Snapshot {
        let volume = try await access.volume(id: volumeId, parameter: "volumeid")
        guard volume.state == "Ready" else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "VolumeId: \(volume.id) is not in Ready state but \(volume.state). Cannot take snapshot."
            )
        }
        let store = self.store
        var interval = "MANUAL"
        if let policyId {
            guard let policy = try await store.get(SnapshotPolicy.self, id: policyId), policy.volumeId == volume.id
            else { throw CloudError.invalidParameter(access.command, "policyid", policyId) }
            interval = policy.intervalType
        }
        var vmName: String? = nil
        if let vmId = volume.vmId { vmName = try await store.get(VirtualMachine.self, id: vmId)?.name }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMddHHmmss"
        let stamp = formatter.string(from: Date())
        let snapshot = Snapshot(
            id: UUID().uuidString.lowercased(),
            name: name ?? ([vmName, volume.name].compactMap { $0 } + [stamp]).joined(separator: "_"),
            volumeId: volume.id,
            volumeName: volume.name,
            volumeType: volume.type,
            accountId: volume.accountId ?? access.caller.account.id,
            zoneId: volume.zoneId,
            size: volume.size,
            state: "BackingUp",
            intervalType: interval,
            created: self.services.clock.now
        )
        try await StorageLookup.withinLimits(
            self.services,
            of: snapshot.accountId,
            [.snapshot: 1, .secondaryStorage: snapshot.size]
        ) {
            try await store.insert(snapshot)
        }
        return snapshot
    }

    /// Backs a snapshot up (the job of createSnapshot): on a real host, the volume's disk is copied into the zone's
    /// image store (``ImageStoreLayout/snapshotPath(accountId:volumeId:id:)``, live when its VM runs) and the
    /// snapshot takes the file's sizes; otherwise the snapshot is a record only. BackedUp either way.
    /// - Returns: the snapshot as it now is.
    /// - Throws: ``OrchestratorError`` when the host fails (the snapshot is then deleted), ``StoreError``.
    public func backUp(_ snapshot: Snapshot) async throws -> Snapshot {
        let store = self.store
        var done = snapshot
        done.state = "BackedUp"
        if let file = try await self.file(of: snapshot),
            let volume = try await store.get(Volume.self, id: snapshot.volumeId)
        {
            // The VM as it is now: it may have started or stopped since the command was accepted.
            var vm: VirtualMachine?
            if let vmId = volume.vmId { vm = try await store.get(VirtualMachine.self, id: vmId) }
            let sizes: ImageFileSizes?
            do {
                sizes = try await self.services.driver.backupSnapshot(of: volume, attachedTo: vm, to: file)
            } catch {
                try? await self.delete(snapshot)
                throw error
            }
            if let sizes {
                try await store.setSnapshotBackedUp(
                    id: snapshot.id,
                    size: sizes.virtualSize,
                    physicalSize: sizes.physicalSize
                )
                done.size = sizes.virtualSize
                done.physicalSize = sizes.physicalSize
                return done
            }
        }
        try await store.setSnapshotState(id: snapshot.id, state: "BackedUp")
        return done
    }

    /// The absolute file of a snapshot in its zone's file image store; nil when the zone has none.
    /// - Throws: ``StoreError``.
    func file(of snapshot: Snapshot) async throws -> String? {
        guard let directory = try await ImageStoreDownloads.directory(zoneId: snapshot.zoneId, store: self.store) else {
            return nil
        }
        return directory + "/"
            + ImageStoreLayout.snapshotPath(accountId: snapshot.accountId, volumeId: snapshot.volumeId, id: snapshot.id)
    }

    /// The filters of listSnapshots.
    public struct ListFilters: Sendable {
        /// The volume.
        public var volumeId: String?
        /// The zone.
        public var zoneId: String?
        /// HOURLY, DAILY, WEEKLY or MONTHLY (any case).
        public var intervalType: String?
        /// MANUAL or RECURRING (any case).
        public var snapshotType: String?

        /// Creates filters; every one is optional.
        public init(
            volumeId: String? = nil,
            zoneId: String? = nil,
            intervalType: String? = nil,
            snapshotType: String? = nil
        ) {
            self.volumeId = volumeId
            self.zoneId = zoneId
            self.intervalType = intervalType
            self.snapshotType = snapshotType
        }
    }

    /// The snapshots the caller may see (and the request's tags match).
    /// - Throws: 431 for bad paging or scope, 531 out of reach.
    public func list(
        _ access: Access,
        _ request: ListRequest,
        _ filters: ListFilters
    ) async throws -> ListPage<Snapshot> {
        var equals: [(column: String, value: String)] = []
        if let volumeId = filters.volumeId { equals.append(("volume_id", volumeId)) }
        if let zoneId = filters.zoneId { equals.append(("zone_id", zoneId)) }
        if let interval = filters.intervalType { equals.append(("interval_type", interval.uppercased())) }
        let type = filters.snapshotType?.uppercased()
        if type == "MANUAL" { equals.append(("interval_type", "MANUAL")) }
        var query = try await access.scopedQuery(request, equals)
        query.tags = request.tags
        query.tagResourceType = "Snapshot"
        var page = try await self.store.list(Snapshot.self, query)
        if type == "RECURRING" {
            page.items = page.items.filter { $0.intervalType != "MANUAL" }
            page.total = page.items.count
        }
        return page
    }

    /// The snapshot deleteSnapshot names, checked: not still BackingUp; delete it with ``delete(_:)``.
    /// - Throws: 431 while backing up; ``Access`` errors.
    public func prepareDelete(_ access: Access, id: String) async throws -> Snapshot {
        let snapshot = try await access.snapshot(id: id)
        guard snapshot.state != "BackingUp" else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Can't delete snapshot \(snapshot.id) with state BackingUp"
            )
        }
        return snapshot
    }

    /// Deletes a snapshot, its tags, and a real snapshot's file.
    /// - Throws: ``StoreError``.
    public func delete(_ snapshot: Snapshot) async throws {
        try await self.store.delete(Snapshot.self, id: snapshot.id)
        try await self.store.deleteTags(resourceIds: [snapshot.id], resourceType: "Snapshot", keys: [])
        if let file = try await self.file(of: snapshot) {
            try? FileManager.default.removeItem(atPath: file + ".part")
            try? FileManager.default.removeItem(atPath: file)
        }
    }

    /// The snapshot revertSnapshot names and its volume, checked: BackedUp, the volume still there, its VM stopped.
    /// - Throws: 431 when one is not; ``Access`` errors.
    public func prepareRevert(_ access: Access, id: String) async throws -> (snapshot: Snapshot, volume: Volume) {
        let snapshot = try await access.snapshot(id: id)
        guard snapshot.state == "BackedUp" else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Snapshot \(snapshot.id) is not in BackedUp state, so it cannot be reverted"
            )
        }
        let store = self.store
        guard let volume = try await store.get(Volume.self, id: snapshot.volumeId) else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Unable to revert snapshot \(snapshot.id): its volume no longer exists"
            )
        }
        if let vmId = volume.vmId, let vm = try await store.get(VirtualMachine.self, id: vmId), vm.state != .stopped {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "The VM the specified disk is attached to is not in the shutdown state."
            )
        }
        return (snapshot, volume)
    }

    /// Reverts a volume to a snapshot: a real snapshot's file becomes the volume's disk (on a host of the zone,
    /// its VM still stopped), then the volume is resized back to the snapshot's size when it differs.
    /// - Throws: 431 when the VM is no longer stopped; ``OrchestratorError`` when the host fails.
    public func revert(_ snapshot: Snapshot, volume: Volume) async throws {
        if snapshot.physicalSize != nil, let file = try await self.file(of: snapshot) {
            let store = self.store
            var vm: VirtualMachine?
            if let vmId = volume.vmId { vm = try await store.get(VirtualMachine.self, id: vmId) }
            if let vm, vm.state != .stopped {
                throw CloudError(
                    .paramError,
                    csErrorCode: 4350,
                    "The VM the specified disk is attached to is not in the shutdown state."
                )
            }
            _ = try await self.services.driver.revertSnapshot(file, to: volume, attachedTo: vm)
        }
        if volume.size != snapshot.size {
            _ = try await self.services.volumeOperations.resize(volume, to: snapshot.size)
        }
    }

    /// What a page of snapshots is rendered with.
    public struct Relations: Sendable {
        /// Their owners (accounts and domains).
        public var owners: Owners
        /// Zone names by UUID.
        public var zoneNames: [String: String]
        /// Their tags, by snapshot UUID.
        public var tags: [String: [ResourceTag]]
    }

    /// Loads what rendering `snapshots` needs: one query per related table.
    /// - Throws: ``StoreError``.
    public func relations(of snapshots: [Snapshot]) async throws -> Relations {
        let zones = try await StorageLookup.rows(self.store, Zone.self, snapshots.map(\.zoneId), \.id)
        return Relations(
            owners: try await self.services.owners(of: snapshots.map(\.accountId)),
            zoneNames: zones.mapValues(\.name),
            tags: try await self.store.tags(of: snapshots.map(\.id), resourceType: "Snapshot")
        )
    }
}

extension CloudServices {
    /// Volume snapshots.
    public var snapshots: SnapshotService { SnapshotService(services: self) }
}
