import Agent
import QEMU
import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

#if canImport(Glibc)
import Glibc
#endif

/// Snapshots and templates of volumes, the way CloudStack's KVM agent makes them (`KVMStorageProcessor`
/// `backupSnapshot`, `createTemplateFromVolume`, `createTemplateFromSnapshot`; `LibvirtRevertSnapshotCommandWrapper`):
/// every copy is a self-contained qcow2 (a root disk's template is read through), written beside its destination as
/// `NAME.part` and renamed into place only when complete.
///
/// A running VM's disk is copied without stopping the guest: QEMU's `blockdev-backup` with `sync=full` into a
/// qcow2 added as a block node. The backup job's copy-before-write filter keeps every cluster as it was when the
/// job started, so the copy is the disk at one instant (crash-consistent: what a power cut would leave), whatever
/// the guest writes meanwhile. A disk no running VM holds is copied with `qemu-img convert`.
extension QEMUHostAgent {
    /// How long a live backup job may run before it is cancelled (under the management server's 120 s wait).
    static let backupTimeout: Duration = .seconds(100)

    /// `CopyCommand`: volume → snapshot (live when its VM runs), volume → template (its VM must not run),
    /// snapshot → template; answers the written file's sizes.
    func copy(_ body: AgentCommandBody) async -> AgentAnswer {
        do throws(VolumeFailure) {
            guard let source = body.source, let destination = body.destination else {
                throw VolumeFailure(message: "CopyCommand needs a source and a destination")
            }
            let target = try Self.imageStoreFile(destination.path)
            let details: String
            switch (source.kind, destination.kind) {
            case (.volume, .snapshot):
                details = try await self.copyVolume(source.disk, to: target, live: true)
            case (.volume, .template):
                details = try await self.copyVolume(source.disk, to: target, live: false)
            case (.snapshot, .template):
                let file = try Self.imageStoreFile(source.path)
                try await Self.write(target) { part throws(QEMUError) in
                    try await DiskImage.convert(file, sourceFormat: "qcow2", to: part)
                }
                details = "Template \(target) created from snapshot \(file)"
            default:
                throw VolumeFailure(
                    message: "CopyCommand from \(source.kind.rawValue) to \(destination.kind.rawValue) is not supported"
                )
            }
            let info = try await Self.image { () async throws(QEMUError) in try await DiskImage.info(target) }
            var answer = AgentAnswer(seq: 0, result: true, details: details)
            answer.written = AgentVolumeStats(virtualSize: info.virtualSize, physicalSize: info.actualSize)
            return answer
        } catch {
            return AgentAnswer(seq: 0, result: false, details: error.message)
        }
    }

    /// `RevertSnapshotCommand`: the volume's file (`destination`) becomes a copy of the snapshot (`source`). Refused
    /// while a VM of this host runs with the disk, as CloudStack refuses a revert for a VM that is not stopped.
    func revertSnapshot(_ body: AgentCommandBody) async -> AgentAnswer {
        do throws(VolumeFailure) {
            guard let disk = body.destination?.disk, body.destination?.kind == .volume, PlainName.isValid(disk.path)
            else { throw VolumeFailure(message: "RevertSnapshotCommand needs a volume with a plain file name") }
            let snapshot = try Self.imageStoreFile(body.source?.path)
            if let holder = self.runningVm(holding: disk) {
                throw VolumeFailure(
                    message:
                        "The VM the specified disk is attached to is not in the shutdown state: \(holder.record.vm.name) runs"
                )
            }
            guard FileManager.default.fileExists(atPath: snapshot) else {
                throw VolumeFailure(message: "Snapshot file \(snapshot) does not exist")
            }
            let path = self.configuration.diskPath(disk.path)
            if FileManager.default.fileExists(atPath: path) {
                // Without `-U`, qemu-img cannot take the image's lock while any QEMU writes to it (another agent's).
                _ = try await Self.image { () async throws(QEMUError) in try await ImageInfo.read(path: path) }
            }
            try await Self.write(path) { part throws(QEMUError) in
                try await DiskImage.convert(snapshot, sourceFormat: "qcow2", to: part)
            }
            return AgentAnswer(seq: 0, result: true, details: "Volume \(disk.volumeId) reverted to \(snapshot)")
        } catch {
            return AgentAnswer(seq: 0, result: false, details: error.message)
        }
    }

    // MARK: internals

    /// Copies a volume's file to `target`: live from a running VM's QEMU when `live`, else with qemu-img (refused
    /// while a VM runs with it).
    private func copyVolume(_ disk: AgentDisk?, to target: String, live: Bool) async throws(VolumeFailure) -> String {
        guard let disk, PlainName.isValid(disk.path) else {
            throw VolumeFailure(message: "CopyCommand needs a volume with a plain file name")
        }
        let path = self.configuration.diskPath(disk.path)
        guard FileManager.default.fileExists(atPath: path) else {
            throw VolumeFailure(message: "Volume \(disk.volumeId) has no file on the primary storage of \(self.hostId)")
        }
        let info = try await Self.image { () async throws(QEMUError) in try await DiskImage.info(path) }
        if let holder = self.runningVm(holding: disk), let process = holder.process {
            guard live else {
                throw VolumeFailure(
                    message: "VM \(holder.record.vm.name) must be stopped before creating a template from its volume"
                )
            }
            try await Self.write(target) { part throws(VolumeFailure) in
                try await self.backUpLive(disk, of: process, size: info.virtualSize, to: part)
            }
            return "Volume \(disk.volumeId) copied live from \(holder.record.vm.name) to \(target)"
        }
        try await Self.write(target) { part throws(QEMUError) in
            try await DiskImage.convert(path, sourceFormat: info.format, to: part)
        }
        return "Volume \(disk.volumeId) copied to \(target)"
    }

    /// The running VM whose disks include this file, if any.
    private func runningVm(holding disk: AgentDisk) -> ManagedVm? {
        self.vms.withLock { vms in
            vms.values.first { $0.isRunning && $0.record.spec.disks.contains { $0.path == disk.path } }
        }
    }

    /// `blockdev-backup sync=full` of the disk's node into `part` (a new qcow2 of the disk's size added as a node),
    /// waiting for the job (``backupTimeout``; cancelled then) and removing the node and the job afterwards.
    private func backUpLive(
        _ disk: AgentDisk,
        of process: QEMUProcess,
        size: Int64,
        to part: String
    ) async throws(VolumeFailure) {
        try await Self.image { () async throws(QEMUError) in try await DiskImage.create(at: part, size: size) }
        let source = HotPlug.nodeName(disk)
        let target = "b" + source.dropFirst()
        let job = "backup-" + source.dropFirst()
        try await self.qmp(
            process,
            "blockdev-add",
            [
                "driver": .string("qcow2"), "node-name": .string(target),
                "file": .object(["driver": .string("file"), "filename": .string(part)]),
            ]
        )
        do throws(VolumeFailure) {
            try await self.runBackup(job, from: source, to: target, of: process, volumeId: disk.volumeId)
        } catch {
            _ = try? await self.qmp(process, "blockdev-del", ["node-name": .string(target)])
            throw error
        }
        try await self.qmp(process, "blockdev-del", ["node-name": .string(target)])
    }

    /// Starts the backup job and waits until it concluded; a job still running at ``backupTimeout`` is cancelled.
    private func runBackup(
        _ job: String,
        from source: String,
        to target: String,
        of process: QEMUProcess,
        volumeId: String
    ) async throws(VolumeFailure) {
        try await self.qmp(
            process,
            "blockdev-backup",
            [
                "job-id": .string(job), "device": .string(source), "target": .string(target),
                "sync": .string("full"), "auto-dismiss": .bool(false),
            ]
        )
        let deadline = ContinuousClock.now + Self.backupTimeout
        var cancelled = false
        while true {
            let jobs = try await self.qmp(process, "query-jobs", [:])
            guard let mine = jobs.arrayValue?.first(where: { $0["id"]?.stringValue == job }) else {
                throw VolumeFailure(message: "Backup job \(job) vanished")
            }
            if mine["status"]?.stringValue == "concluded" {
                _ = try? await self.qmp(process, "job-dismiss", ["id": .string(job)])
                if cancelled { throw VolumeFailure(message: "The backup of volume \(volumeId) timed out") }
                if let error = mine["error"]?.stringValue { throw VolumeFailure(message: "Backup failed: \(error)") }
                return
            }
            if cancelled && ContinuousClock.now >= deadline + .seconds(10) {
                throw VolumeFailure(message: "The backup of volume \(volumeId) timed out and did not stop")
            }
            if !cancelled && ContinuousClock.now >= deadline {
                cancelled = true
                _ = try? await self.qmp(process, "job-cancel", ["id": .string(job)])
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    /// A snapshot's or template's file from the management server: absolute, a `.qcow2`, no `..` component.
    private static func imageStoreFile(_ path: String?) throws(VolumeFailure) -> String {
        guard let path, path.hasPrefix("/"), path.hasSuffix(".qcow2"), !path.contains("\0"),
            !path.split(separator: "/").contains("..")
        else { throw VolumeFailure(message: "Invalid image store file \(path ?? "(none)"): an absolute .qcow2 path") }
        return path
    }

    /// Writes `target` through `NAME.part` in its directory (made if missing), renamed over `target` once `body`
    /// succeeded; removed otherwise.
    private static func write<E: Error>(
        _ target: String,
        _ body: (String) async throws(E) -> Void
    ) async throws(VolumeFailure) {
        let part = target + ".part"
        do {
            try FileManager.default.createDirectory(
                atPath: target.deletingLastPathComponentText,
                withIntermediateDirectories: true
            )
        } catch {
            throw VolumeFailure(message: "Cannot make the directory of \(target): \(error.reasonText)")
        }
        try? FileManager.default.removeItem(atPath: part)
        do {
            try await body(part)
        } catch {
            try? FileManager.default.removeItem(atPath: part)
            let message = (error as? VolumeFailure)?.message ?? (error as? QEMUError)?.message
            throw VolumeFailure(message: message ?? "\(error)")
        }
        guard rename(part, target) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: part)
            throw VolumeFailure(message: "Cannot move \(part) into place: \(reason)")
        }
    }
}
