import Agent
import QEMU
import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How the agent names what it plugs into a VM: one PCIe root port per data-disk slot, the guest device
/// `disk-VOLUME`, the block node `vVOLUME` (QEMU caps node names at 31 characters) and the CD-ROM `cdrom`.
enum HotPlug {
    /// The data-disk slots that have a root port (a VM started with a disk in another slot cannot unplug it).
    static let slots = 1...8
    /// The root ports a VM is started with.
    static let ports = slots.map { "port\($0)" }
    /// The CD-ROM's device id.
    static let cdrom = "cdrom"

    /// The id part of a volume: its letters, digits and dashes.
    private static func plain(_ disk: AgentDisk) -> String {
        String(
            disk.volumeId.unicodeScalars.filter {
                $0.isASCII && ($0 == "-" || $0.properties.isAlphabetic || ("0"..."9").contains($0))
            }.map(Character.init)
        )
    }

    /// The guest device's id.
    static func deviceName(_ disk: AgentDisk) -> String { "disk-" + plain(disk) }

    /// The image's block node name.
    static func nodeName(_ disk: AgentDisk) -> String {
        "v" + String(plain(disk).filter { $0 != "-" }.prefix(30))
    }

    /// The root port of a data disk's slot, nil when the slot has none.
    static func port(_ disk: AgentDisk) -> String? {
        slots.contains(disk.deviceId) ? "port\(disk.deviceId)" : nil
    }
}

extension QEMUHostAgent {
    /// A refused volume command.
    struct VolumeFailure: Error {
        var message: String
    }

    /// `AttachCommand`: hot-plugs `body.disk` (its file made as a blank qcow2 when missing) or inserts `body.iso`
    /// into the CD-ROM; the VM's record keeps it for the next start of the VM or of the agent.
    func attach(_ vm: AgentVm, _ body: AgentCommandBody) async -> AgentAnswer {
        await self.answer { () async throws(VolumeFailure) -> String in
            let (managed, process) = try self.running(vm)
            var record = managed.record
            if let disk = body.disk {
                guard !record.spec.disks.contains(where: { $0.volumeId == disk.volumeId }) else {
                    return "Volume \(disk.volumeId) is already attached to \(vm.name)"
                }
                try await self.plug(disk, into: process)
                record.spec.disks.append(disk)
                try self.save(record)
                return "Volume \(disk.volumeId) attached to \(vm.name) as \(HotPlug.deviceName(disk))"
            }
            guard let iso = body.iso, iso.hasPrefix("/") else {
                throw VolumeFailure(message: "AttachCommand needs a disk or an absolute ISO path")
            }
            try await self.qmp(
                process,
                "blockdev-change-medium",
                [
                    "id": .string(HotPlug.cdrom), "filename": .string(iso), "format": .string("raw"),
                    "read-only-mode": .string("read-only"),
                ]
            )
            record.spec.iso = iso
            try self.save(record)
            return "ISO \(iso) inserted into the CD-ROM of \(vm.name)"
        }
    }

    /// `DettachCommand`: unplugs `body.disk` (waiting until the guest released it) or ejects the CD-ROM.
    func detach(_ vm: AgentVm, _ body: AgentCommandBody) async -> AgentAnswer {
        await self.answer { () async throws(VolumeFailure) -> String in
            let (managed, process) = try self.running(vm)
            var record = managed.record
            guard let disk = body.disk else {
                try await self.qmp(process, "eject", ["id": .string(HotPlug.cdrom), "force": .bool(true)])
                record.spec.iso = nil
                try self.save(record)
                return "CD-ROM of \(vm.name) ejected"
            }
            guard let index = record.spec.disks.firstIndex(where: { $0.volumeId == disk.volumeId }) else {
                return "Volume \(disk.volumeId) is not attached to \(vm.name)"
            }
            try await self.unplug(record.spec.disks[index], from: process)
            record.spec.disks.remove(at: index)
            try self.save(record)
            return "Volume \(disk.volumeId) detached from \(vm.name)"
        }
    }

    /// `ResizeVolumeCommand`: grows the disk of a running VM with `block_resize` (the guest sees the new size at
    /// once), or the file of a VM that is not running with `qemu-img resize`. Never shrinks.
    func resizeVolume(_ vm: AgentVm, _ body: AgentCommandBody) async -> AgentAnswer {
        await self.answer { () async throws(VolumeFailure) -> String in
            guard let disk = body.disk, PlainName.isValid(disk.path) else {
                throw VolumeFailure(message: "ResizeVolumeCommand needs a disk with a plain file name")
            }
            let managed = self.vms.withLock { $0[vm.id] }
            if let managed, managed.isRunning, let process = managed.process,
                let index = managed.record.spec.disks.firstIndex(where: { $0.volumeId == disk.volumeId })
            {
                var record = managed.record
                try await self.qmp(
                    process,
                    "block_resize",
                    [
                        "node-name": .string(HotPlug.nodeName(disk)), "size": .int(Int(disk.sizeBytes)),
                    ]
                )
                record.spec.disks[index].sizeBytes = disk.sizeBytes
                try self.save(record)
                return "Volume \(disk.volumeId) of \(vm.name) resized live to \(disk.sizeBytes) bytes"
            }
            let path = self.configuration.diskPath(disk.path)
            guard FileManager.default.fileExists(atPath: path) else {
                return "Volume \(disk.volumeId) has no file yet: it is made with its size at the next start"
            }
            let info = try await Self.image { () async throws(QEMUError) in try await DiskImage.info(path) }
            if info.virtualSize < disk.sizeBytes {
                try await Self.image { () async throws(QEMUError) in
                    try await DiskImage.resize(path, to: disk.sizeBytes)
                }
            }
            return "Volume \(disk.volumeId) resized to \(max(disk.sizeBytes, info.virtualSize)) bytes"
        }
    }

    // MARK: internals

    private func answer(_ body: () async throws(VolumeFailure) -> String) async -> AgentAnswer {
        do {
            return AgentAnswer(seq: 0, result: true, details: try await body())
        } catch {
            return AgentAnswer(seq: 0, result: false, details: error.message)
        }
    }

    private func running(_ vm: AgentVm) throws(VolumeFailure) -> (ManagedVm, QEMUProcess) {
        guard let managed = self.vms.withLock({ $0[vm.id] }), managed.isRunning, let process = managed.process else {
            throw VolumeFailure(message: "VM \(vm.name) is not running on host \(self.hostId)")
        }
        return (managed, process)
    }

    private func save(_ record: VmRecord) throws(VolumeFailure) {
        let id = record.vm.id
        do {
            try record.write(to: self.configuration.runDirectory(id))
        } catch {
            throw VolumeFailure(message: "Cannot write the record of \(record.vm.name): \(error.reasonText)")
        }
        self.vms.withLock { $0[id]?.record = record }
    }

    @discardableResult
    /// Runs a QMP command, its failure as the volume command's.
    func qmp(
        _ process: QEMUProcess,
        _ command: String,
        _ arguments: [String: JSONValue]
    ) async throws(VolumeFailure) -> JSONValue {
        do {
            return try await process.qmp.execute(command, arguments: arguments)
        } catch {
            throw VolumeFailure(message: error.message)
        }
    }

    /// Runs a `qemu-img` step, its failure as the volume command's.
    static func image<T>(_ body: () async throws(QEMUError) -> T) async throws(VolumeFailure) -> T {
        do {
            return try await body()
        } catch {
            throw VolumeFailure(message: error.message)
        }
    }

    /// Makes the disk's file if missing (grows a smaller one), then `blockdev-add` + `device_add` on the slot's
    /// root port; a failed plug removes the node and a file it made.
    private func plug(_ disk: AgentDisk, into process: QEMUProcess) async throws(VolumeFailure) {
        guard PlainName.isValid(disk.path) else {
            throw VolumeFailure(message: "Invalid disk path \(disk.path): a plain file name is expected")
        }
        guard let port = HotPlug.port(disk) else {
            throw VolumeFailure(message: "Device id \(disk.deviceId) has no hot-plug slot (\(HotPlug.slots))")
        }
        let path = self.configuration.diskPath(disk.path)
        var made = false
        let format: String
        if FileManager.default.fileExists(atPath: path) {
            let info = try await Self.image { () async throws(QEMUError) in try await DiskImage.info(path) }
            if info.virtualSize < disk.sizeBytes {
                try await Self.image { () async throws(QEMUError) in
                    try await DiskImage.resize(path, to: disk.sizeBytes)
                }
            }
            format = info.format
        } else {
            try await Self.image { () async throws(QEMUError) in
                try await DiskImage.create(at: path, size: max(disk.sizeBytes, 1 << 20))
            }
            made = true
            format = "qcow2"
        }
        let node = HotPlug.nodeName(disk)
        do {
            try await self.qmp(
                process,
                "blockdev-add",
                [
                    "driver": .string(format), "node-name": .string(node),
                    "file": .object(["driver": .string("file"), "filename": .string(path)]),
                ]
            )
        } catch {
            if made { try? FileManager.default.removeItem(atPath: path) }
            throw error
        }
        do {
            try await self.qmp(
                process,
                "device_add",
                [
                    "driver": .string("virtio-blk-pci"), "id": .string(HotPlug.deviceName(disk)),
                    "drive": .string(node), "bus": .string(port),
                ]
            )
        } catch {
            _ = try? await self.qmp(process, "blockdev-del", ["node-name": .string(node)])
            if made { try? FileManager.default.removeItem(atPath: path) }
            throw error
        }
    }

    /// `device_del`, then waits (20 s) until the guest released the device, then `blockdev-del` (a disk the VM
    /// started with has no such node: QEMU deleted its drive with the device).
    private func unplug(_ disk: AgentDisk, from process: QEMUProcess) async throws(VolumeFailure) {
        let device = HotPlug.deviceName(disk)
        try await self.qmp(process, "device_del", ["id": .string(device)])
        let deadline = ContinuousClock.now + .seconds(20)
        while true {
            let children = try await self.qmp(process, "qom-list", ["path": .string("/machine/peripheral")])
            let names: [String] =
                if case .array(let items) = children { items.compactMap { $0["name"]?.stringValue } } else { [] }
            if !names.contains(device) { break }
            guard ContinuousClock.now < deadline else {
                throw VolumeFailure(message: "The guest did not release \(device) within 20 s")
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
        _ = try? await self.qmp(process, "blockdev-del", ["node-name": .string(HotPlug.nodeName(disk))])
    }
}
