import Agent
import QEMU
import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension QEMUHostAgent {
    /// A failed start: its message, and whether the host lacked capacity.
    struct StartFailure: Error {
        var message: String
        var insufficientCapacity = false
    }

    /// `StartCommand` (CloudStack's `LibvirtStartCommandWrapper`): disks, config drive, taps, then QEMU. A VM that
    /// already runs answers success; a failed start leaves no QEMU, no disk it made, no tap and no run directory.
    func startVm(_ vm: AgentVm, spec: AgentVmSpec?) async -> AgentAnswer {
        if let running = self.vms.withLock({ $0[vm.id] }), running.isRunning {
            return AgentAnswer(seq: 0, result: true, details: "VM \(vm.name) is already running")
        }
        // A VM that stopped by itself is started afresh.
        await self.discard(vm.id)
        guard let spec else {
            return AgentAnswer(seq: 0, result: false, details: "StartCommand for \(vm.name) carries no spec")
        }
        var made = MadeByStart()
        do {
            try self.reserveMemory(for: vm)
        } catch {
            return AgentAnswer(seq: 0, result: false, details: error.message, insufficientCapacity: true)
        }
        // Once the VM is in the table its memory counts there (as the part its QEMU has not touched yet).
        defer { self.startingMemory.withLock { $0 -= Int64(vm.memory) << 20 } }
        do {
            let managed = try await self.launch(vm, spec: spec, made: &made)
            self.vms.withLock { $0[vm.id] = managed }
            return AgentAnswer(
                seq: 0,
                result: true,
                details: "VM \(vm.name) is running (pid \(managed.process?.pid ?? 0))"
            )
        } catch {
            await self.rollBack(made, vmId: vm.id)
            return AgentAnswer(
                seq: 0,
                result: false,
                details: error.message,
                insufficientCapacity: error.insufficientCapacity ? true : nil
            )
        }
    }

    /// What a start made so far, undone when it fails.
    struct MadeByStart {
        var disks: [String] = []
        var taps: [String] = []
        var firewall: [NftablesFirewall.Port] = []
    }

    /// Builds the VM's machine (disks, config drive, CD-ROM, taps) and launches QEMU. An `incoming` machine is
    /// the destination of a live migration: its disks must already be in primary storage (they are the source's,
    /// on a shared pool), its taps get names of this host's own (the source's may be on the same machine), and
    /// QEMU waits for the VM's state (`-incoming defer`).
    func launch(
        _ vm: AgentVm,
        spec: AgentVmSpec,
        made: inout MadeByStart,
        incoming: Bool = false
    ) async throws(StartFailure)
        -> ManagedVm
    {
        for disk in spec.disks where !PlainName.isValid(disk.path) {
            throw StartFailure(message: "Invalid disk path \(disk.path): a plain file name is expected")
        }
        for file in [spec.iso] + spec.disks.map(\.template) {
            if let file, !file.hasPrefix("/") { throw StartFailure(message: "\(file) is not an absolute path") }
        }
        let runDirectory = self.configuration.runDirectory(vm.id)
        guard (runDirectory + "/qmp.sock").utf8.count < 108 else {
            throw StartFailure(message: "The agent's data directory is too long for QEMU's unix sockets")
        }
        // The last guard against a second copy: QEMU would refuse the disk too (its image lock), but only after the
        // taps, which a copy running elsewhere on this machine may be using, were replaced.
        for disk in spec.disks where !incoming {
            guard await Self.staysHeldOpen(self.configuration.diskPath(disk.path)) else { continue }
            throw StartFailure(
                message: "Disk \(disk.path) of VM \(vm.name) is in use by another QEMU (its image lock is held): "
                    + "the VM still runs elsewhere and is not started twice"
            )
        }
        let tapHost = incoming ? self.hostId : nil
        let record = VmRecord(
            vm: AgentVm(id: vm.id, name: vm.name, cpuNumber: vm.cpuNumber, cpuSpeed: vm.cpuSpeed, memory: vm.memory),
            spec: spec,
            taps: spec.nics.map { HostNetwork.tapName(vm: vm.id, deviceId: $0.deviceId, host: tapHost) }
        )
        // The destination of a live-scaled VM starts at its boot size; prepareIncoming plugs the rest.
        let boot = incoming ? spec.hotplug : nil
        var machine = QEMUMachine(
            name: vm.name,
            uuid: UUID(uuidString: vm.id) ?? UUID(),
            cpus: max(boot?.bootCpus ?? vm.cpuNumber, 1),
            memoryMiB: boot?.bootMemory ?? vm.memory,
            accelerator: self.configuration.accelerator,
            runDirectory: runDirectory
        )
        // The guest's screen, for the console proxy (`GetVncPortCommand`): the first free display from 5900.
        machine.vnc = "\(self.configuration.vncAddress):0,to=99"
        if incoming { machine.incoming = "defer" }
        Self.addHeadroom(to: &machine, spec: spec)
        do {
            try FileManager.default.createDirectory(atPath: runDirectory, withIntermediateDirectories: true)
            // Written first: an agent that dies after the launch still finds the VM.
            try record.write(to: runDirectory)
        } catch {
            throw StartFailure(message: "Cannot prepare \(runDirectory): \(error.reasonText)")
        }
        do {
            machine.drives = try await self.prepareDisks(spec, made: &made, existing: incoming)
            let configDrive = runDirectory + "/config.iso"
            try await Self.configDrive(vm, spec: spec).writeISO(to: URL(fileURLWithPath: configDrive))
            // Debian's cloud kernel has no AHCI: on q35 a guest sees the config drive only as a virtio disk.
            machine.drives.append(.init(path: configDrive, format: "raw", interface: .virtio, readOnly: true))
            // Always a CD-ROM, empty without an ISO, so that AttachCommand can insert one into a running VM.
            var cdrom = QEMUMachine.Drive(
                path: spec.iso,
                format: "raw",
                interface: .ideCD,
                bootIndex: spec.iso != nil && spec.bootFromISO ? 0 : nil
            )
            cdrom.deviceName = HotPlug.cdrom
            machine.drives.append(cdrom)
            machine.hotplugPorts = HotPlug.ports
            for nic in spec.nics.sorted(by: { $0.deviceId < $1.deviceId }) {
                let tap = HostNetwork.tapName(vm: vm.id, deviceId: nic.deviceId, host: tapHost)
                let bridge = HostNetwork.bridgeName(network: nic.networkId)
                try await HostNetwork.attach(tap: tap, bridge: bridge)
                made.taps.append(tap)
                machine.nics.append(.init(bridge: bridge, mac: nic.mac.lowercased(), tap: tap))
            }
            // The security-group chains exist before the guest's first packet.
            let firewall = Self.firewallPorts(spec.nics, taps: record.taps)
            try await self.applyFirewall(firewall, vmId: vm.id)
            made.firewall = firewall
            let process = try await QEMUProcess.launch(
                machine,
                binary: self.configuration.qemuBinary,
                timeout: self.configuration.launchTimeout
            )
            return ManagedVm(record: record, process: process)
        } catch {
            throw StartFailure(message: error.message)
        }
    }

    /// Refuses a VM whose memory does not fit what the machine has available, less what the running VMs have been
    /// given but not touched yet (a QEMU takes its guest's memory as the guest uses it) and what the starts under
    /// way need; otherwise counts the VM among the starts under way.
    func reserveMemory(for vm: AgentVm) throws(StartFailure) {
        let wanted = Int64(vm.memory) << 20
        guard let memory = ProcFiles.readMemory() else {
            self.startingMemory.withLock { $0 += wanted }
            return
        }
        let promised = self.vms.withLock { vms in
            vms.values.reduce(Int64(0)) { sum, managed in
                guard let process = managed.process, managed.isRunning else { return sum }
                let resident = ProcFiles.readResidentBytes(process.pid) ?? 0
                return sum + max(Int64(managed.record.vm.memory) << 20 - resident, 0)
            }
        }
        let free = self.startingMemory.withLock { starting -> Int64? in
            let free = memory.available - promised - starting
            guard wanted <= free else { return free }
            starting += wanted
            return nil
        }
        if let free {
            throw StartFailure(
                message:
                    "Host \(self.hostId) cannot fit VM \(vm.name): it needs \(vm.memory) MiB, "
                    + "\(max(free, 0) >> 20) MiB are available",
                insufficientCapacity: true
            )
        }
    }

    /// Creates the missing disks (a root disk on a template as a qcow2 overlay, others blank qcow2), grows a
    /// smaller existing one, and returns them as drives, root first. Boots from the root disk unless the ISO.
    /// With `existing`, every disk must already be there, and none is changed.
    private func prepareDisks(
        _ spec: AgentVmSpec,
        made: inout MadeByStart,
        existing: Bool = false
    ) async throws(QEMUError)
        -> [QEMUMachine.Drive]
    {
        var drives: [QEMUMachine.Drive] = []
        let disks = spec.disks.sorted {
            ($0.type != "ROOT" ? 1 : 0, $0.deviceId) < ($1.type != "ROOT" ? 1 : 0, $1.deviceId)
        }
        for disk in disks {
            let path = self.configuration.diskPath(disk.path)
            let format: String
            if existing, !FileManager.default.fileExists(atPath: path) {
                throw QEMUError(
                    .invalidImage,
                    "Disk \(disk.path) is not in this host's primary storage (\(self.configuration.primaryStorage)): "
                        + "live migration needs the hosts to share it"
                )
            }
            if existing {
                format = try await DiskImage.info(path).format
            } else if FileManager.default.fileExists(atPath: path) {
                let info = try await DiskImage.info(path)
                if info.virtualSize < disk.sizeBytes { try await DiskImage.resize(path, to: disk.sizeBytes) }
                format = info.format
            } else if let template = disk.template {
                try await DiskImage.createOverlay(
                    at: path,
                    backingFile: template,
                    backingFormat: disk.templateFormat ?? "qcow2",
                    size: disk.sizeBytes
                )
                made.disks.append(path)
                format = "qcow2"
            } else {
                try await DiskImage.create(at: path, size: max(disk.sizeBytes, 1 << 20))
                made.disks.append(path)
                format = "qcow2"
            }
            let boot = disk.type == "ROOT" && !spec.bootFromISO
            var drive = QEMUMachine.Drive(path: path, format: format, interface: .virtio, bootIndex: boot ? 1 : nil)
            drive.deviceName = HotPlug.deviceName(disk)
            drive.nodeName = HotPlug.nodeName(disk)
            // Data disks sit on a root port of their slot, so that DettachCommand can unplug them.
            if disk.type != "ROOT" { drive.bus = HotPlug.port(disk) }
            drives.append(drive)
        }
        return drives
    }

    private static func configDrive(_ vm: AgentVm, spec: AgentVmSpec) -> ConfigDrive {
        ConfigDrive(
            uuid: vm.id,
            name: vm.name,
            hostname: spec.hostName,
            publicKeys: spec.publicKeys,
            userData: spec.userData.flatMap { Data(base64Encoded: $0, options: .ignoreUnknownCharacters) }.map(
                Array.init
            ),
            nics: spec.nics.map { nic in
                ConfigDrive.NIC(
                    deviceId: nic.deviceId,
                    mac: nic.mac.lowercased(),
                    address: nic.ipAddress.isEmpty ? nil : nic.ipAddress,
                    netmask: nic.netmask.isEmpty ? nil : nic.netmask,
                    gateway: nic.gateway.isEmpty ? nil : nic.gateway,
                    networkId: nic.networkId
                )
            }
        )
    }

    /// Undoes what a failed start made: taps, disks it created, the run directory.
    func rollBack(_ made: MadeByStart, vmId: String) async {
        await self.removeFirewall(made.firewall, vmId: vmId)
        for tap in made.taps { await HostNetwork.remove(tap: tap) }
        for disk in made.disks { try? FileManager.default.removeItem(atPath: disk) }
        try? FileManager.default.removeItem(atPath: self.configuration.runDirectory(vmId))
    }
}
