import QEMU

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

#if canImport(Glibc)
import Glibc
#endif

/// What the agent reads from `/proc`: the machine's memory and CPU time, a process's CPU time and resident set.
/// The parsers are pure functions over the files' text.
enum ProcFiles {
    /// `/proc/meminfo`'s `MemTotal` and `MemAvailable`, in bytes.
    struct Memory: Sendable, Hashable {
        var total: Int64
        var available: Int64
    }

    /// The machine's CPU time from `/proc/stat`'s `cpu` line, in clock ticks.
    struct CPUTimes: Sendable, Hashable {
        var busy: Int64
        var total: Int64
    }

    /// Parses `/proc/meminfo`.
    static func memory(meminfo: String) -> Memory? {
        var fields: [String: Int64] = [:]
        for line in meminfo.split(separator: "\n") {
            let parts = line.split(whereSeparator: { $0 == ":" || $0 == " " })
            guard parts.count >= 2, let value = Int64(parts[1]) else { continue }
            fields[String(parts[0])] = value * 1024
        }
        guard let total = fields["MemTotal"], let available = fields["MemAvailable"] else { return nil }
        return Memory(total: total, available: available)
    }

    /// Parses `/proc/stat`'s first line: busy is everything but `idle` and `iowait`.
    static func cpuTimes(stat: String) -> CPUTimes? {
        guard let line = stat.split(separator: "\n").first, line.hasPrefix("cpu ") else { return nil }
        let values = line.split(separator: " ").dropFirst().compactMap { Int64($0) }
        guard values.count >= 5 else { return nil }
        // user nice system idle iowait irq softirq steal (guest time is already inside user).
        let counted = values.prefix(8)
        let total = counted.reduce(0, +)
        return CPUTimes(busy: total - values[3] - values[4], total: total)
    }

    /// Parses `/proc/PID/stat`: the process's user plus system time, in clock ticks.
    static func processCPUTicks(stat: String) -> Int64? {
        guard let close = stat.lastIndex(of: ")") else { return nil }
        // After ")": state is field 3, so utime (field 14) and stime (15) are at offsets 11 and 12.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Int64(fields[11]), let system = Int64(fields[12]) else { return nil }
        return user + system
    }

    /// Parses `/proc/PID/stat`: when the process started, in clock ticks after boot (field 22).
    static func processStartTicks(stat: String) -> Int64? {
        guard let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 19 ? Int64(fields[19]) : nil
    }

    /// Parses `/proc/PID/statm`: the resident set in pages.
    static func residentPages(statm: String) -> Int64? {
        let fields = statm.split(separator: " ")
        guard fields.count >= 2 else { return nil }
        return Int64(fields[1].trimmedWhitespace)
    }

    /// The machine's memory now.
    static func readMemory() -> Memory? {
        self.read("/proc/meminfo").flatMap { self.memory(meminfo: $0) }
    }

    /// The machine's CPU times now.
    static func readCPUTimes() -> CPUTimes? {
        self.read("/proc/stat").flatMap { self.cpuTimes(stat: $0) }
    }

    /// A process's CPU time now, in seconds.
    static func readProcessCPUSeconds(_ pid: Int32) -> Double? {
        guard let ticks = self.read("/proc/\(pid)/stat").flatMap({ self.processCPUTicks(stat: $0) }) else {
            return nil
        }
        return Double(ticks) / Double(max(sysconf(Int32(_SC_CLK_TCK)), 1))
    }

    /// How long a process has run, in seconds.
    static func readProcessAgeSeconds(_ pid: Int32) -> Double? {
        guard let start = self.read("/proc/\(pid)/stat").flatMap({ self.processStartTicks(stat: $0) }),
            let uptime = self.read("/proc/uptime")?.split(separator: " ").first.flatMap({ Double($0) })
        else { return nil }
        return uptime - Double(start) / Double(max(sysconf(Int32(_SC_CLK_TCK)), 1))
    }

    /// A process's resident set now, in bytes.
    static func readResidentBytes(_ pid: Int32) -> Int64? {
        guard let pages = self.read("/proc/\(pid)/statm").flatMap({ self.residentPages(statm: $0) }) else {
            return nil
        }
        return pages * Int64(sysconf(Int32(_SC_PAGESIZE)))
    }

    private static func read(_ path: String) -> String? {
        try? String(contentsOfFile: path, encoding: .utf8)
    }
}
