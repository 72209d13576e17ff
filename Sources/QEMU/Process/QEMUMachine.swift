#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A virtual machine to start: what `qemu-system-x86_64` needs to know, and its argv (`arguments`).
///
/// Its QMP socket, pid file and serial log live in one run directory under fixed names, so that a restarted agent
/// can find a running QEMU again from the directory alone (`QEMUProcess.adopt(runDirectory:)`). Paths should be
/// absolute: a daemonized QEMU changes its working directory to `/`. A unix socket path is limited to 107 bytes.
public struct QEMUMachine: Sendable, Hashable {
    /// How the guest's instructions run.
    public enum Accelerator: String, Sendable, Hashable, CaseIterable {
        /// Hardware virtualization through `/dev/kvm`.
        case kvm
        /// QEMU's software emulator.
        case tcg
    }

    /// A disk or CD-ROM.
    public struct Drive: Sendable, Hashable {
        /// How the guest sees the drive.
        public enum Interface: String, Sendable, Hashable {
            /// A virtio-blk PCI disk (`/dev/vdX` in Linux).
            case virtio
            /// A CD-ROM on the q35 AHCI controller.
            case ideCD = "ide-cd"
        }

        /// The image file; nil for an empty CD-ROM drive.
        public var path: String?
        /// The image format as QEMU names it (`qcow2`, `raw`).
        public var format: String
        /// How the guest sees it.
        public var interface: Interface
        /// Whether the guest may not write it (always true for a CD-ROM).
        public var readOnly: Bool
        /// The firmware's boot order for this drive (`bootindex`, lowest first); nil: not named.
        public var bootIndex: Int?
        /// The guest device's id (`device_del`, `blockdev-change-medium id=`); nil: `diskN`/`cdN` by position.
        public var deviceName: String?
        /// The image's block node name (`block_resize node-name=`); nil: QEMU's own. At most 31 characters.
        public var nodeName: String?
        /// The bus the device plugs into, e.g. one of ``QEMUMachine/hotplugPorts`` (a device on the q35 root
        /// bus cannot be unplugged); nil: the root bus.
        public var bus: String?

        /// Describes a drive.
        /// - Parameters:
        ///   - path: the image file, or nil for an empty CD-ROM.
        ///   - format: `qcow2` or `raw`.
        ///   - interface: virtio disk or IDE CD-ROM.
        ///   - readOnly: whether the guest may not write it.
        ///   - bootIndex: its place in the firmware's boot order, or nil.
        public init(
            path: String?,
            format: String = "qcow2",
            interface: Interface = .virtio,
            readOnly: Bool = false,
            bootIndex: Int? = nil
        ) {
            self.path = path
            self.format = format
            self.interface = interface
            self.readOnly = readOnly || interface == .ideCD
            self.bootIndex = bootIndex
        }
    }

    /// Names of PCIe root ports to create (`pcie-root-port`), each able to take one hot-plugged device.
    public var hotplugPorts: [String] = []

    /// A virtio NIC on a Linux bridge.
    public struct NIC: Sendable, Hashable {
        /// The bridge the NIC joins.
        public var bridge: String
        /// The NIC's MAC address (`02:00:...`).
        public var mac: String
        /// A tap device the agent made and put on the bridge; nil to let `qemu-bridge-helper` make one.
        public var tap: String?

        /// Describes a NIC.
        /// - Parameters:
        ///   - bridge: the bridge it joins.
        ///   - mac: its MAC address.
        ///   - tap: an existing tap device on the bridge, or nil for QEMU's bridge helper.
        public init(bridge: String, mac: String, tap: String? = nil) {
            self.bridge = bridge
            self.mac = mac
            self.tap = tap
        }
    }

    /// The VM's name (QEMU's `-name`, shown in `ps`).
    public var name: String
    /// Its SMBIOS uuid.
    public var uuid: UUID
    /// vCPUs at start.
    public var cpus: Int
    /// The most vCPUs hot-plug may reach; nil for `cpus`.
    public var maxCPUs: Int?
    /// Memory in MiB at start.
    public var memoryMiB: Int
    /// The most memory in MiB DIMM hot-plug may reach (`maxmem`); nil: no memory hot-plug.
    public var maxMemoryMiB: Int?
    /// DIMM slots for memory hot-plug (`slots`), used with ``maxMemoryMiB``.
    public var memorySlots: Int = 16
    /// KVM or TCG.
    public var accelerator: Accelerator
    /// The machine type.
    public var machineType: String = "q35"
    /// Disks and CD-ROMs, in bus order.
    public var drives: [Drive] = []
    /// A kernel to boot directly, without firmware looking for a boot disk.
    public var kernel: String?
    /// An initrd for `kernel`.
    public var initrd: String?
    /// The kernel command line.
    public var append: String?
    /// NICs; none gives `-nic none`.
    public var nics: [NIC] = []
    /// Whether the guest's first serial port is written to `serialLogPath`; otherwise it has none.
    public var serialLog: Bool = true
    /// Whether the vCPUs wait for QMP `cont` before running (`-S`).
    public var startPaused: Bool = false
    /// Where the machine's state comes from instead of a boot, as QEMU's `-incoming` takes it: `defer` waits for
    /// QMP `migrate-incoming` (the destination of a live migration); nil boots normally. Without `-S` the guest
    /// resumes as soon as the migration completes.
    public var incoming: String?
    /// A VNC server for the guest's screen, as QEMU's `-vnc` takes it (e.g. `127.0.0.1:0,to=99`: the first free
    /// display from 5900); nil for none. QMP `query-vnc` tells the port chosen.
    public var vnc: String?
    /// The directory holding the QMP socket, pid file and serial log.
    public var runDirectory: String

    /// Describes a VM.
    /// - Parameters:
    ///   - name: its name.
    ///   - uuid: its uuid.
    ///   - cpus: vCPUs at start.
    ///   - maxCPUs: the hot-plug ceiling, or nil.
    ///   - memoryMiB: memory in MiB.
    ///   - accelerator: KVM or TCG.
    ///   - runDirectory: where its socket, pid file and serial log go.
    public init(
        name: String,
        uuid: UUID = UUID(),
        cpus: Int = 1,
        maxCPUs: Int? = nil,
        memoryMiB: Int,
        accelerator: Accelerator,
        runDirectory: String
    ) {
        self.name = name
        self.uuid = uuid
        self.cpus = cpus
        self.maxCPUs = maxCPUs
        self.memoryMiB = memoryMiB
        self.accelerator = accelerator
        self.runDirectory = runDirectory
    }

    /// The QMP socket: `RUNDIR/qmp.sock`.
    public var qmpSocketPath: String { Self.qmpSocketPath(in: self.runDirectory) }
    /// The pid file QEMU writes: `RUNDIR/qemu.pid`.
    public var pidFilePath: String { Self.pidFilePath(in: self.runDirectory) }
    /// The guest's serial console log: `RUNDIR/serial.log`.
    public var serialLogPath: String { self.runDirectory + "/serial.log" }

    static func qmpSocketPath(in directory: String) -> String { directory + "/qmp.sock" }
    static func pidFilePath(in directory: String) -> String { directory + "/qemu.pid" }

    /// The argv for `qemu-system-x86_64` (program name excluded): a daemonized QEMU with no defaults, no display,
    /// a QMP socket and a pid file.
    public var arguments: [String] {
        var smp = "cpus=\(self.cpus)"
        if let maxCPUs = self.maxCPUs { smp += ",maxcpus=\(maxCPUs)" }
        var memory = "\(self.memoryMiB)M"
        if let maxMemory = self.maxMemoryMiB, maxMemory > self.memoryMiB {
            memory += ",slots=\(max(self.memorySlots, 1)),maxmem=\(maxMemory)M"
        }
        var argv = [
            "-name", "guest=\(Self.escaped(self.name))",
            "-uuid", self.uuid.uuidString.lowercased(),
            "-machine", self.machineType,
            "-accel", self.accelerator.rawValue,
        ]
        if self.accelerator == .kvm { argv += ["-cpu", "host"] }
        argv += [
            "-smp", smp,
            "-m", memory,
            "-nodefaults", "-no-user-config", "-display", "none",
            "-qmp", "unix:\(Self.escaped(self.qmpSocketPath)),server=on,wait=off",
            "-pidfile", self.pidFilePath,
            "-daemonize",
        ]
        if self.serialLog { argv += ["-serial", "file:\(self.serialLogPath)"] }
        for (index, port) in self.hotplugPorts.enumerated() {
            argv += ["-device", "pcie-root-port,id=\(Self.escaped(port)),bus=pcie.0,chassis=\(index + 1)"]
        }
        for (index, drive) in self.drives.enumerated() { argv += Self.arguments(drive, index: index) }
        if self.nics.isEmpty { argv += ["-nic", "none"] }
        for (index, nic) in self.nics.enumerated() {
            let netdev =
                if let tap = nic.tap {
                    "tap,id=net\(index),ifname=\(Self.escaped(tap)),script=no,downscript=no"
                } else {
                    "bridge,id=net\(index),br=\(Self.escaped(nic.bridge))"
                }
            argv += ["-netdev", netdev, "-device", "virtio-net-pci,netdev=net\(index),mac=\(nic.mac)"]
        }
        if let kernel = self.kernel { argv += ["-kernel", kernel] }
        if let initrd = self.initrd { argv += ["-initrd", initrd] }
        if let append = self.append { argv += ["-append", append] }
        if self.startPaused { argv += ["-S"] }
        if let incoming = self.incoming { argv += ["-incoming", incoming] }
        if let vnc = self.vnc { argv += ["-vnc", vnc, "-vga", "std"] }
        return argv
    }

    private static func arguments(_ drive: Drive, index: Int) -> [String] {
        var options = ["if=none", "id=drive\(index)"]
        if let path = drive.path { options = ["file=\(escaped(path))", "format=\(drive.format)"] + options }
        if drive.interface == .ideCD { options.append("media=cdrom") }
        if drive.readOnly { options.append("readonly=on") }
        if let nodeName = drive.nodeName, drive.path != nil { options.append("node-name=\(escaped(nodeName))") }
        var device =
            switch drive.interface {
            case .virtio: "virtio-blk-pci,drive=drive\(index),id=\(escaped(drive.deviceName ?? "disk\(index)"))"
            case .ideCD: "ide-cd,drive=drive\(index),id=\(escaped(drive.deviceName ?? "cd\(index)"))"
            }
        if let bus = drive.bus { device += ",bus=\(escaped(bus))" }
        if let bootIndex = drive.bootIndex { device += ",bootindex=\(bootIndex)" }
        return ["-drive", options.joined(separator: ","), "-device", device]
    }

    /// QEMU's option syntax doubles a comma inside a value.
    private static func escaped(_ value: String) -> String {
        value.replacing(",", with: ",,")
    }
}
