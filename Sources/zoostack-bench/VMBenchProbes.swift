import Foundation
import QEMU

#if canImport(Glibc)
import Glibc
#endif

/// A process's figures from `/proc`: resident memory, CPU time, liveness.
enum ProcStat {
    /// `VmRSS` (or another line of `/proc/PID/status`, or of another `/proc/PID` file such as `smaps_rollup`) in KiB.
    static func statusKiB(_ pid: Int32, _ field: String = "VmRSS", file: String = "status") -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/\(file)", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            return Int(line.dropFirst(field.count + 1).split(whereSeparator: \.isWhitespace).first ?? "")
        }
        return nil
    }

    /// The fields of `/proc/PID/stat` after the command name (the first is the state).
    private static func fields(_ pid: Int32) -> [Substring]? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        return text[text.index(after: close)...].split(separator: " ")
    }

    /// User plus system CPU time in clock ticks (`utime` + `stime`).
    static func cpuTicks(_ pid: Int32) -> Int? {
        guard let fields = Self.fields(pid), fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12])
        else { return nil }
        return user + system
    }

    /// Clock ticks per second.
    static var ticksPerSecond: Int { sysconf(Int32(_SC_CLK_TCK)) }

    /// Whether the process exists and is not a zombie.
    static func isAlive(_ pid: Int32) -> Bool {
        guard let state = Self.fields(pid)?.first else { return false }
        return state != "Z" && state != "X"
    }

    /// The command name (`/proc/PID/comm`).
    static func commandName(_ pid: Int32) -> String? {
        (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// The bare peer of a ZooStack deploy: the same template booted by QEMU started directly, with the argv the agent
/// builds (``QEMUMachine``: q35, no defaults, serial to a file, the root disk as a qcow2 overlay on the template,
/// the config drive with the same kind of hostname) but no NIC, no API, no scheduler and no agent protocol.
enum BareBoot {
    /// Times overlay + config drive + `qemu-system-x86_64` launch until the serial log shows
    /// `zoostack-guest ready HOSTNAME` (read every 100 ms), then kills the QEMU.
    /// - Parameters:
    ///   - hostname: the guest's hostname.
    ///   - template: the qcow2 template.
    ///   - memoryMiB: guest memory.
    ///   - accelerator: `kvm` or `tcg`.
    ///   - directory: a fresh run directory (short: QEMU's unix socket lives there).
    ///   - timeout: the longest boot.
    /// - Returns: seconds from the start to the ready line.
    static func run(
        hostname: String,
        template: String,
        memoryMiB: Int,
        accelerator: String,
        directory: String,
        timeout: Duration
    ) async throws -> Double {
        let began = BenchPhase.now()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let root = directory + "/root.qcow2"
        try await DiskImage.createOverlay(at: root, backingFile: template, backingFormat: "qcow2")
        let configDrive = directory + "/config.iso"
        try await ConfigDrive(uuid: UUID().uuidString.lowercased(), name: hostname)
            .writeISO(to: URL(fileURLWithPath: configDrive))
        var machine = QEMUMachine(
            name: hostname,
            memoryMiB: memoryMiB,
            accelerator: QEMUMachine.Accelerator(rawValue: accelerator) ?? .tcg,
            runDirectory: directory
        )
        machine.drives = [
            .init(path: root, format: "qcow2", interface: .virtio, bootIndex: 1),
            .init(path: configDrive, format: "raw", interface: .virtio, readOnly: true),
        ]
        let process = try await QEMUProcess.launch(machine)
        do {
            let seconds = try await Self.waitForReady(
                hostname,
                log: machine.serialLogPath,
                since: began,
                timeout: timeout
            )
            try await process.kill()
            return seconds
        } catch {
            try? await process.kill()
            throw error
        }
    }

    private static func waitForReady(
        _ hostname: String,
        log: String,
        since began: UInt64,
        timeout: Duration
    ) async throws -> Double {
        let deadline = ContinuousClock.now + timeout
        let marker = "zoostack-guest ready \(hostname)"
        while ContinuousClock.now < deadline {
            if let text = try? String(contentsOfFile: log, encoding: .utf8), text.contains(marker) {
                return Double(BenchPhase.now() &- began) / 1e9
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw BenchError("bare QEMU guest \(hostname) printed no ready line in \(timeout)")
    }
}

/// Figures for the table: medians and formatting.
enum VMBenchFigures {
    /// The median of `values` (the mean of the middle two for an even count).
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// `1.234 s`.
    static func seconds(_ value: Double) -> String { String(format: "%.2f s", value) }

    /// `met` or `missed`.
    static func verdict(_ met: Bool) -> String { met ? "met" : "missed" }
}
