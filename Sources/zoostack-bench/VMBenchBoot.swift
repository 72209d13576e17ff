import Foundation
import QEMU

#if canImport(Glibc)
import Glibc
#endif

/// When a boot reached each step, in seconds from its start, as read from its QEMU run directory by ``BootWatch``.
struct BootSteps: Sendable {
    /// The run directory exists (for a ZooStack VM: the agent has begun its `StartCommand`).
    var directory: Double?
    /// QEMU's pid file exists (QEMU has parsed its command line and daemonized).
    var launched: Double?
    /// The serial log holds `zoostack-guest ready NAME`.
    var ready = 0.0
}

/// Watches a QEMU run directory (``QEMUMachine``'s layout: `qemu.pid`, `serial.log`) every 10 ms, the same way for
/// the bare boot and for a ZooStack VM (whose directory is the agent's): both sides' figures are read alike.
enum BootWatch {
    /// The polling interval.
    static let interval = Duration.milliseconds(10)

    /// Seconds since `began` (a ``BenchPhase/now()`` reading).
    static func elapsed(since began: UInt64) -> Double { Double(BenchPhase.now() &- began) / 1e9 }

    /// Watches `directory` until its serial log shows the ready line of `hostname`.
    /// - Parameters:
    ///   - directory: the run directory (it may not exist yet).
    ///   - hostname: the guest's hostname.
    ///   - began: when the boot began.
    ///   - timeout: the longest wait.
    /// - Returns: the steps seen.
    /// - Throws: `BenchError` when no ready line came in time; `CancellationError`.
    static func run(
        _ directory: String,
        hostname: String,
        since began: UInt64,
        timeout: Duration
    ) async throws -> BootSteps {
        let deadline = ContinuousClock.now + timeout
        let marker = "zoostack-guest ready \(hostname)"
        var steps = BootSteps()
        while ContinuousClock.now < deadline {
            let now = Self.elapsed(since: began)
            if steps.directory == nil, FileManager.default.fileExists(atPath: directory) { steps.directory = now }
            if steps.launched == nil, FileManager.default.fileExists(atPath: directory + "/qemu.pid") {
                steps.launched = now
            }
            if steps.launched != nil, let log = FileManager.default.contents(atPath: directory + "/serial.log"),
                String(decoding: log, as: UTF8.self).contains(marker)
            {
                steps.ready = now
                return steps
            }
            try await Task.sleep(for: Self.interval)
        }
        throw BenchError("\(hostname) printed no ready line in \(directory)/serial.log in \(timeout)")
    }
}

/// The bare peer of a ZooStack deploy: the same template booted by QEMU started directly, with the machine the agent
/// builds (QEMUHostAgent+Start.swift: q35, no defaults, serial to a file, VNC with its VGA, the root disk as a qcow2
/// overlay of the VM's size on the template, the config drive, an empty CD-ROM, the eight hot-plug root ports, and
/// one virtio NIC on a tap the bench puts on a bridge of its own, made and deleted as the agent does for a VM alone
/// on its network), but no API, no job, no scheduler and no agent protocol.
enum BareBoot {
    /// Times overlay + config drive + bridge and tap + `qemu-system-x86_64` launch until the serial log shows
    /// `zoostack-guest ready HOSTNAME` (``BootWatch``), then kills the QEMU and deletes the tap and bridge.
    /// - Parameters:
    ///   - hostname: the guest's hostname.
    ///   - round: the round (names the tap and the MAC).
    ///   - template: the qcow2 template.
    ///   - memoryMiB: guest memory.
    ///   - accelerator: `kvm` or `tcg`.
    ///   - directory: a fresh run directory (short: QEMU's unix socket lives there).
    ///   - timeout: the longest boot.
    /// - Returns: the steps, in seconds from the start.
    static func run(
        hostname: String,
        round: Int,
        template: String,
        memoryMiB: Int,
        accelerator: String,
        directory: String,
        timeout: Duration
    ) async throws -> BootSteps {
        // The root volume's size, as the server sends it (the template's); read before the clock starts.
        let size = try await DiskImage.info(template).virtualSize
        let (bridge, tap) = ("zsbrx\(getpid())", "zstx\(getpid())r\(round)")
        let began = BenchPhase.now()
        async let watched = BootWatch.run(directory, hostname: hostname, since: began, timeout: timeout)
        var process: QEMUProcess?
        do {
            let mac = String(format: "02:00:00:be:0e:%02x", round % 256)
            var machine = try await Self.machine(
                hostname: hostname,
                mac: mac,
                template: template,
                size: size,
                memoryMiB: memoryMiB,
                accelerator: accelerator,
                directory: directory
            )
            try await Self.attach(tap: tap, bridge: bridge)
            machine.nics = [.init(bridge: bridge, mac: mac, tap: tap)]
            process = try await QEMUProcess.launch(machine)
            let steps = try await watched
            try await process?.kill()
            await Self.remove(tap: tap, bridge: bridge)
            return steps
        } catch {
            try? await process?.kill()
            await Self.remove(tap: tap, bridge: bridge)
            throw error
        }
    }

    /// Makes `directory` with the root disk (a qcow2 overlay of `size` bytes on `template`) and the config drive
    /// (one NIC with `mac` at 198.19.250.10/24, and `userData` when given), and returns the machine the agent would
    /// build for them, without its NIC (the caller puts one on a tap).
    static func machine(
        hostname: String,
        mac: String,
        template: String,
        size: Int64,
        memoryMiB: Int,
        accelerator: String,
        directory: String,
        userData: String? = nil
    ) async throws -> QEMUMachine {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let root = directory + "/root.qcow2"
        try await DiskImage.createOverlay(at: root, backingFile: template, backingFormat: "qcow2", size: size)
        let configDrive = directory + "/config.iso"
        try await ConfigDrive(
            uuid: UUID().uuidString.lowercased(),
            name: hostname,
            userData: userData.map { Array($0.utf8) },
            nics: [
                .init(
                    deviceId: 0,
                    mac: mac,
                    address: "198.19.250.10",
                    netmask: "255.255.255.0",
                    gateway: "198.19.250.1",
                    networkId: "bench"
                )
            ]
        )
        .writeISO(to: URL(fileURLWithPath: configDrive))
        var machine = QEMUMachine(
            name: hostname,
            memoryMiB: memoryMiB,
            accelerator: QEMUMachine.Accelerator(rawValue: accelerator) ?? .tcg,
            runDirectory: directory
        )
        machine.vnc = "127.0.0.1:0,to=99"
        var cdrom = QEMUMachine.Drive(path: nil, format: "raw", interface: .ideCD)
        cdrom.deviceName = "cdrom"
        machine.drives = [
            .init(path: root, format: "qcow2", interface: .virtio, bootIndex: 1),
            .init(path: configDrive, format: "raw", interface: .virtio, readOnly: true), cdrom,
        ]
        machine.hotplugPorts = (1...8).map { "port\($0)" }
        return machine
    }

    /// The agent's `ip` calls for the first NIC on a network (HostNetwork.attach): the bridge, up, a tap on it, up.
    static func attach(tap: String, bridge: String) async throws {
        if !FileManager.default.fileExists(atPath: "/sys/class/net/\(bridge)") {
            try await HostTool.run("ip", ["link", "add", bridge, "type", "bridge"])
        }
        try await HostTool.run("ip", ["link", "set", bridge, "up"])
        try await HostTool.run("ip", ["tuntap", "add", "dev", tap, "mode", "tap"])
        try await HostTool.run("ip", ["link", "set", tap, "master", bridge, "up"])
    }

    /// Deletes the tap and the bridge, whichever exist.
    static func remove(tap: String, bridge: String) async {
        for link in [tap, bridge] where FileManager.default.fileExists(atPath: "/sys/class/net/\(link)") {
            _ = try? await HostTool.run("ip", ["link", "del", link])
        }
    }
}
