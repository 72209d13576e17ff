/// The agent commands of the protocol, named as CloudStack's agent `Command` classes.
public enum AgentCommand: String, Codable, Sendable, CaseIterable {
    /// Liveness and identity check (CloudStack's `ReadyCommand` / `PingCommand`).
    case ready = "ReadyCommand"
    /// Create and boot a VM.
    case start = "StartCommand"
    /// Stop (power off) a VM.
    case stop = "StopCommand"
    /// Reboot a VM.
    case reboot = "RebootCommand"
    /// Prepare the destination host to receive a live migration.
    case prepareForMigration = "PrepareForMigrationCommand"
    /// Live-migrate a VM away from the source host (sent to the source).
    case migrate = "MigrateCommand"
    /// Resize a running VM.
    case scale = "ScaleVmCommand"
    /// List the VMs the host runs (CloudStack's `GetVmStatesCommand` / the ping's VM report).
    case getVmStates = "GetVmStatesCommand"
    /// The tail of a VM's serial console (ZooStack's; CloudStack has none).
    case getConsoleOutput = "GetVmConsoleOutputCommand"
    /// The VMs' CPU, memory, disk and network counters (CloudStack's `GetVmStatsCommand`).
    case getVmStats = "GetVmStatsCommand"
    /// The host's CPU and memory use (CloudStack's `GetHostStatsCommand`).
    case getHostStats = "GetHostStatsCommand"
    /// Delete a stopped VM's disks from primary storage (CloudStack's `DestroyCommand`, on expunge).
    case destroyVolumes = "DestroyCommand"
    /// Where a running VM's VNC server listens (CloudStack's `GetVncPortCommand`, for the console proxy).
    case getVncPort = "GetVncPortCommand"
    /// Hot-plug a disk (`disk`) into a running VM, or insert an ISO (`iso`) into its CD-ROM (CloudStack's
    /// `AttachCommand`).
    case attach = "AttachCommand"
    /// Unplug a disk (`disk`) from a running VM, or eject its CD-ROM (no `disk`) (CloudStack's `DettachCommand`).
    case detach = "DettachCommand"
    /// Grow a volume's file to `disk.sizeBytes`, live when its VM runs (CloudStack's `ResizeVolumeCommand`).
    case resizeVolume = "ResizeVolumeCommand"
    /// The sizes of the volume files in the host's primary storage (CloudStack's `GetVolumeStatsCommand`).
    case getVolumeStats = "GetVolumeStatsCommand"
    /// Copy `source` to `destination` as a self-contained qcow2 (CloudStack's storage `CopyCommand`): a volume to a
    /// snapshot (live when its VM runs) or to a template, a snapshot to a template; answers the file's sizes.
    case copy = "CopyCommand"
    /// Make a volume's disk (`destination`) the content of a snapshot (`source`); its VM must not run
    /// (CloudStack's `RevertSnapshotCommand`).
    case revertSnapshot = "RevertSnapshotCommand"
    /// Replace the security-group rules of a running VM's NICs (CloudStack's `SecurityGroupRulesCmd`).
    case securityGroupRules = "SecurityGroupRulesCommand"
    /// Ask a live host whether another host (`checkedHostId`) is still active on the primary storage they share: its
    /// storage heartbeat is fresh, or a disk of its VMs (`disks`) is held open by a running QEMU (CloudStack's
    /// `CheckOnHostCommand` and `CheckVMActivityOnStoragePoolCommand`); the answer's `hostAlive` tells. HA fences
    /// with it before restarting a lost host's VMs.
    case checkOnHost = "CheckOnHostCommand"
}

/// A disk of a VM to start (CloudStack's `DiskTO`/`VolumeObjectTO`).
public struct AgentDisk: Codable, Hashable, Sendable {
    /// The volume's id.
    public var volumeId: String
    /// `ROOT` or `DATADISK`.
    public var type: String
    /// The guest device slot (0 root, then the data slots).
    public var deviceId: Int
    /// The volume's file, relative to the agent's primary storage directory: a plain file name (no `/`), e.g.
    /// `VOLUMEID.qcow2` (CloudStack's volume `path`).
    public var path: String
    /// The virtual size in bytes (the agent creates a missing file with this size, and grows a smaller one).
    public var sizeBytes: Int64
    /// For a root disk made from a template: the template's file (absolute, in the image store), the qcow2
    /// overlay's backing file. Nil for a blank disk.
    public var template: String?
    /// The template file's format as QEMU names it (`qcow2`, `raw`).
    public var templateFormat: String?

    /// Makes a value.
    public init(
        volumeId: String,
        type: String,
        deviceId: Int,
        path: String,
        sizeBytes: Int64,
        template: String? = nil,
        templateFormat: String? = nil
    ) {
        self.volumeId = volumeId
        self.type = type
        self.deviceId = deviceId
        self.path = path
        self.sizeBytes = sizeBytes
        self.template = template
        self.templateFormat = templateFormat
    }
}

/// A NIC of a VM to start (CloudStack's `NicTO`).
public struct AgentNic: Codable, Hashable, Sendable {
    /// The NIC's id.
    public var id: String
    /// Its order on the guest's PCI bus (0 first).
    public var deviceId: Int
    /// CloudStack's MAC.
    public var mac: String
    /// The guest address (empty when the network assigns none).
    public var ipAddress: String
    /// The netmask.
    public var netmask: String
    /// The gateway.
    public var gateway: String
    /// The guest network's id (the agent makes one Linux bridge per network).
    public var networkId: String
    /// Whether it is the default NIC.
    public var isDefault: Bool
    /// Its security-group rules, nil on a network without security groups (nothing filtered).
    public var firewall: AgentNicFirewall?

    /// Makes a value.
    public init(
        id: String,
        deviceId: Int,
        mac: String,
        ipAddress: String,
        netmask: String,
        gateway: String,
        networkId: String,
        isDefault: Bool,
        firewall: AgentNicFirewall? = nil
    ) {
        self.id = id
        self.deviceId = deviceId
        self.mac = mac
        self.ipAddress = ipAddress
        self.netmask = netmask
        self.gateway = gateway
        self.networkId = networkId
        self.isDefault = isDefault
        self.firewall = firewall
    }
}

/// What a real hypervisor needs to start a VM beyond its size (CloudStack's `VirtualMachineTO`): disks, CD-ROM,
/// NICs and the config drive's contents. A simulator ignores it.
public struct AgentVmSpec: Codable, Hashable, Sendable {
    /// The guest's host name (the config drive's `hostname`).
    public var hostName: String
    /// The disks, root first, then data disks by device id.
    public var disks: [AgentDisk]
    /// The attached ISO's file (absolute, in the image store), if any.
    public var iso: String?
    /// Whether to boot from the ISO (a VM deployed from an ISO onto a blank root disk).
    public var bootFromISO: Bool
    /// The NICs, by device id.
    public var nics: [AgentNic]
    /// The user data, base64 as CloudStack stores it (nil: none).
    public var userData: String?
    /// The SSH public keys for the config drive.
    public var publicKeys: [String]
    /// Seconds a clean (ACPI) stop may take before the agent quits QEMU (`vm.stop.timeout`-like).
    public var stopTimeoutSeconds: Int
    /// The most vCPUs the VM may reach while it runs (CloudStack's `VirtualMachineTO.maxCpus` for a dynamically
    /// scalable VM): QEMU starts with room to hot-plug up to it (`-smp N,maxcpus=M`); nil: no room.
    public var maxCpus: Int?
    /// The most memory in MiB the VM may reach while it runs (`VirtualMachineTO.maxRam`): QEMU starts with DIMM
    /// slots up to it (`-m SIZE,slots=S,maxmem=MAX`); nil: no room.
    public var maxMemory: Int?
    /// What a running VM was given by live scaling since it booted (nil: nothing), so that the destination of a
    /// live migration builds the same machine: it starts at the boot size and plugs the same devices.
    public var hotplug: AgentHotplugLayout?

    /// Makes a value.
    public init(
        hostName: String,
        disks: [AgentDisk],
        iso: String? = nil,
        bootFromISO: Bool = false,
        nics: [AgentNic] = [],
        userData: String? = nil,
        publicKeys: [String] = [],
        stopTimeoutSeconds: Int = 30,
        maxCpus: Int? = nil,
        maxMemory: Int? = nil,
        hotplug: AgentHotplugLayout? = nil
    ) {
        self.hostName = hostName
        self.disks = disks
        self.iso = iso
        self.bootFromISO = bootFromISO
        self.nics = nics
        self.userData = userData
        self.publicKeys = publicKeys
        self.stopTimeoutSeconds = stopTimeoutSeconds
        self.maxCpus = maxCpus
        self.maxMemory = maxMemory
        self.hotplug = hotplug
    }
}

/// A running VM's size at boot and the DIMMs live scaling added since, in order (each `ScaleVmCommand` that grows
/// memory adds one DIMM of the difference; vCPUs are plugged in the machine's topology order up to the VM's count).
public struct AgentHotplugLayout: Codable, Hashable, Sendable {
    /// vCPUs at boot.
    public var bootCpus: Int
    /// Memory at boot, MiB.
    public var bootMemory: Int
    /// The sizes in MiB of the DIMMs plugged since, in order.
    public var dimms: [Int]

    /// Makes a value.
    public init(bootCpus: Int, bootMemory: Int, dimms: [Int] = []) {
        self.bootCpus = bootCpus
        self.bootMemory = bootMemory
        self.dimms = dimms
    }
}

/// A VM's counters (CloudStack's `VmStatsEntry`): what `listVirtualMachines` shows as `cpuused`, `memorykbs`, ...
public struct AgentVmStats: Codable, Hashable, Sendable {
    /// CPU use since the previous sample, in percent of the VM's vCPUs (0...100).
    public var cpuUsedPercent: Double
    /// Memory the guest has, in KiB.
    public var memoryKBs: Int64
    /// Memory free inside the guest, in KiB (0 when unknown).
    public var memoryIntFreeKBs: Int64
    /// Network bytes received, in KiB (cumulative).
    public var networkKBsRead: Int64
    /// Network bytes sent, in KiB (cumulative).
    public var networkKBsWrite: Int64
    /// Disk bytes read, in KiB (cumulative).
    public var diskKBsRead: Int64
    /// Disk bytes written, in KiB (cumulative).
    public var diskKBsWrite: Int64
    /// Disk read operations (cumulative).
    public var diskIORead: Int64
    /// Disk write operations (cumulative).
    public var diskIOWrite: Int64

    /// Makes a value.
    public init(
        cpuUsedPercent: Double = 0,
        memoryKBs: Int64 = 0,
        memoryIntFreeKBs: Int64 = 0,
        networkKBsRead: Int64 = 0,
        networkKBsWrite: Int64 = 0,
        diskKBsRead: Int64 = 0,
        diskKBsWrite: Int64 = 0,
        diskIORead: Int64 = 0,
        diskIOWrite: Int64 = 0
    ) {
        self.cpuUsedPercent = cpuUsedPercent
        self.memoryKBs = memoryKBs
        self.memoryIntFreeKBs = memoryIntFreeKBs
        self.networkKBsRead = networkKBsRead
        self.networkKBsWrite = networkKBsWrite
        self.diskKBsRead = diskKBsRead
        self.diskKBsWrite = diskKBsWrite
        self.diskIORead = diskIORead
        self.diskIOWrite = diskIOWrite
    }
}

/// A host's use (CloudStack's `HostStatsEntry`).
public struct AgentHostStats: Codable, Hashable, Sendable {
    /// CPU use of the whole machine since the previous sample, in percent (0...100).
    public var cpuUsedPercent: Double
    /// Memory in use on the machine, in bytes (total minus available).
    public var memoryUsedBytes: Int64
    /// The machine's memory, in bytes.
    public var memoryTotalBytes: Int64
    /// Memory still available for new VMs, in bytes (`MemAvailable`).
    public var memoryAvailableBytes: Int64

    /// Makes a value.
    public init(cpuUsedPercent: Double, memoryUsedBytes: Int64, memoryTotalBytes: Int64, memoryAvailableBytes: Int64) {
        self.cpuUsedPercent = cpuUsedPercent
        self.memoryUsedBytes = memoryUsedBytes
        self.memoryTotalBytes = memoryTotalBytes
        self.memoryAvailableBytes = memoryAvailableBytes
    }
}

/// A VM as the agent sees it.
public struct AgentVm: Codable, Hashable, Sendable {
    /// The VM's id.
    public var id: String
    /// The instance name.
    public var name: String
    /// vCPUs.
    public var cpuNumber: Int
    /// MHz per vCPU.
    public var cpuSpeed: Int
    /// Memory in MiB.
    public var memory: Int
    /// `Running`, or `Stopped` for a VM whose guest powered off or whose process died (a real agent reports it
    /// once in `GetVmStatesCommand`, as CloudStack's power-state report, until the VM is stopped or started).
    public var state: String

    /// Makes a value.
    public init(id: String, name: String, cpuNumber: Int, cpuSpeed: Int, memory: Int, state: String = "Running") {
        self.id = id
        self.name = name
        self.cpuNumber = cpuNumber
        self.cpuSpeed = cpuSpeed
        self.memory = memory
        self.state = state
    }
}

/// A command's arguments.
public struct AgentCommandBody: Codable, Hashable, Sendable {
    /// The host the command is for (an agent may serve several).
    public var hostId: String
    /// The VM concerned (absent for host-level commands).
    public var vm: AgentVm?
    /// For `StopCommand`: power off without a clean shutdown.
    public var forced: Bool?
    /// For `MigrateCommand`: the destination host.
    public var destinationHostId: String?
    /// For `StartCommand` (and `PrepareForMigrationCommand`): disks, NICs and config drive; absent from a
    /// management server that predates real hosts (a simulator needs none).
    public var spec: AgentVmSpec?
    /// For `GetVmConsoleOutputCommand`: how many lines of the tail (nil: the agent's default).
    public var lines: Int?
    /// For `DestroyCommand`: the disks to delete.
    public var disks: [AgentDisk]?
    /// For `AttachCommand`, `DettachCommand` and `ResizeVolumeCommand`: the disk (nil: the CD-ROM).
    public var disk: AgentDisk?
    /// For `AttachCommand` of an ISO: its file (absolute, in the image store).
    public var iso: String?
    /// For `CopyCommand` and `RevertSnapshotCommand`: what is read.
    public var source: AgentDataObject?
    /// For `CopyCommand` and `RevertSnapshotCommand`: what is written.
    public var destination: AgentDataObject?
    /// For `MigrateCommand`: where the destination's QEMU waits for the VM's state (the `migrationURI` of the
    /// destination's answer to `PrepareForMigrationCommand`, e.g. `tcp:127.0.0.1:PORT`).
    public var migrationURI: String?
    /// For `MigrateCommand`: how long the migration may take, in seconds, before it is cancelled and the VM keeps
    /// running on the source (CloudStack's `migratewait`; nil: the agent's default, an hour).
    public var waitSeconds: Int?
    /// For `SecurityGroupRulesCommand`: the VM's NICs with their rules.
    public var nics: [AgentNic]?
    /// For `CheckOnHostCommand`: the host whose activity is checked (`disks` are its VMs' disks).
    public var checkedHostId: String?

    /// Makes a value.
    public init(
        hostId: String,
        vm: AgentVm? = nil,
        forced: Bool? = nil,
        destinationHostId: String? = nil,
        spec: AgentVmSpec? = nil,
        lines: Int? = nil,
        disks: [AgentDisk]? = nil,
        disk: AgentDisk? = nil,
        iso: String? = nil,
        source: AgentDataObject? = nil,
        destination: AgentDataObject? = nil
    ) {
        self.hostId = hostId
        self.vm = vm
        self.forced = forced
        self.destinationHostId = destinationHostId
        self.spec = spec
        self.lines = lines
        self.disks = disks
        self.disk = disk
        self.iso = iso
        self.source = source
        self.destination = destination
    }
}

/// A request frame: `{seq, command, body}`. `command` stays a string on the wire so an agent answers an unknown
/// command with a failed answer instead of closing the connection.
public struct AgentRequest: Codable, Hashable, Sendable {
    /// The sequence number the answer carries back (requests are pipelined on one connection).
    public var seq: UInt64
    /// The command's name, e.g. `StartCommand`.
    public var command: String
    /// The arguments.
    public var body: AgentCommandBody

    /// Makes a request.
    public init(seq: UInt64, command: AgentCommand, body: AgentCommandBody) {
        self.seq = seq
        self.command = command.rawValue
        self.body = body
    }

    /// Makes a request with any command name (tests of unknown commands).
    public init(seq: UInt64, commandName: String, body: AgentCommandBody) {
        self.seq = seq
        self.command = commandName
        self.body = body
    }
}
