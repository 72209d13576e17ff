import Foundation

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

    /// The steps of one round's two boots, e.g. `bare: launched 0.31, ready 3.60 | zoostack: deploy answered
    /// 0.05, agent began 0.12, launched 0.40, job done 0.45, ready 3.90, through the API 3.98`.
    static func steps(bare: BootSteps, zoostack: ZooStackBoot) -> String {
        func at(_ value: Double?) -> String { value.map { String(format: "%.2f", $0) } ?? "-" }
        return "bare: launched \(at(bare.launched)), ready \(at(bare.ready)) | zoostack: deploy answered "
            + "\(at(zoostack.answered)), agent began \(at(zoostack.steps.directory)), launched "
            + "\(at(zoostack.steps.launched)), job done \(at(zoostack.jobDone)), ready \(at(zoostack.steps.ready)), "
            + "through the API \(at(zoostack.throughAPI))"
    }

    /// `met` or `missed`.
    static func verdict(_ met: Bool) -> String { met ? "met" : "missed" }
}

/// One ZooStack deploy timed to ready, in seconds from the deployVirtualMachine call.
struct ZooStackBoot: Sendable {
    /// The VM.
    var vmId: String
    /// The deployVirtualMachine call answered (its job id).
    var answered: Double
    /// queryAsyncJobResult first showed the job succeeded (nil: not seen before the guest was ready).
    var jobDone: Double?
    /// The steps read from the agent's run directory; `ready` is the boot-to-ready figure.
    var steps: BootSteps
    /// getVirtualMachineConsoleOutput first showed the ready line.
    var throughAPI: Double
}
