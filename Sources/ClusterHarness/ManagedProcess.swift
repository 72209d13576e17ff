import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process of the harness (`zoostack serve`, `zoostack agent`, `zoostack zookeeper`) with its output in a
/// log file, waited on by the lines it prints. A watchdog shell kills it with SIGKILL when the harness's process
/// ends, however it ends, so no child outlives a crashed test run.
public final class ManagedProcess: Sendable {
    /// A name for messages (e.g. `ms-2`).
    public let name: String
    /// Where its stdout and stderr go.
    public let logPath: String
    private let process: Process
    private let watchdog: Process

    private init(name: String, logPath: String, process: Process, watchdog: Process) {
        self.name = name
        self.logPath = logPath
        self.process = process
        self.watchdog = watchdog
    }

    /// Starts `executable arguments...`.
    /// - Parameters:
    ///   - name: a name for messages.
    ///   - executable: the program.
    ///   - arguments: its arguments.
    ///   - logPath: the log file (created or truncated).
    /// - Returns: the running process.
    /// - Throws: when the program cannot be started.
    public static func launch(
        name: String,
        executable: URL,
        arguments: [String],
        logPath: String
    ) throws -> ManagedProcess {
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        try process.run()
        try? log.close()
        let script = """
            while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 1; done
            kill -9 "$2" 2>/dev/null
            """
        let watchdog = Process()
        watchdog.executableURL = URL(fileURLWithPath: "/bin/sh")
        watchdog.arguments = ["-c", script, "zoostack-watchdog", String(getpid()), String(process.processIdentifier)]
        watchdog.standardInput = FileHandle.nullDevice
        watchdog.standardOutput = FileHandle.nullDevice
        watchdog.standardError = FileHandle.nullDevice
        try watchdog.run()
        return ManagedProcess(name: name, logPath: logPath, process: process, watchdog: watchdog)
    }

    /// The process id.
    public var pid: Int32 { self.process.processIdentifier }

    /// Whether it still runs. A process that exited counts as gone even while Foundation has not noticed yet:
    /// `Process` learns of an exit when a socket the child inherited closes, and a descendant that outlives the
    /// child (a daemonized QEMU given that socket) would keep it open.
    public var isRunning: Bool {
        guard self.process.isRunning else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(self.pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        let state = stat[stat.index(after: close)...].drop(while: { $0 == " " }).first
        return state != "Z" && state != "X"
    }

    /// What it printed so far.
    public var log: String { (try? String(contentsOfFile: self.logPath, encoding: .utf8)) ?? "" }

    /// The last characters of the log, for failure messages.
    public var logTail: String { String(self.log.suffix(3000)) }

    /// Waits for a log line containing `marker` and returns that line.
    /// - Parameters:
    ///   - marker: the text to look for.
    ///   - timeout: how long to wait.
    /// - Returns: the first line that contains it.
    /// - Throws: ``HarnessError`` when the process exits first or the time runs out.
    public func waitForLine(containing marker: String, timeout: Duration = .seconds(120)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let line = self.log.split(separator: "\n").first(where: { $0.contains(marker) }) {
                return String(line)
            }
            guard self.isRunning else {
                throw HarnessError("\(self.name) exited before printing \"\(marker)\":\n\(self.logTail)")
            }
            guard ContinuousClock.now < deadline else {
                throw HarnessError("\(self.name) did not print \"\(marker)\" in \(timeout):\n\(self.logTail)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Sends SIGKILL and waits for the exit: the process gets no chance to clean up (its ZooKeeper session
    /// expires after its timeout).
    public func kill() {
        guard self.isRunning else { return }
        Self.signal(self.process.processIdentifier, SIGKILL)
        // Not `waitUntilExit()`: on a cooperative thread it spins a run loop with no source, at 100% of a core,
        // for as long as Foundation has not noticed the exit. A SIGKILLed process is gone within milliseconds.
        let deadline = ContinuousClock.now + .seconds(10)
        while self.isRunning, ContinuousClock.now < deadline { usleep(2000) }
        self.stopWatchdog()
    }

    /// Sends SIGTERM and waits up to `grace` for a clean exit, then SIGKILL.
    /// - Parameter grace: how long a clean exit may take.
    public func terminate(grace: Duration = .seconds(15)) async {
        guard self.isRunning else {
            self.stopWatchdog()
            return
        }
        self.process.terminate()
        let deadline = ContinuousClock.now + grace
        while self.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        self.kill()
        self.stopWatchdog()
    }

    private func stopWatchdog() {
        if self.watchdog.isRunning { Self.signal(self.watchdog.processIdentifier, SIGKILL) }
    }

    private static func signal(_ pid: Int32, _ signal: Int32) {
        #if canImport(Glibc)
        _ = Glibc.kill(pid, signal)
        #else
        _ = Darwin.kill(pid, signal)
        #endif
    }
}

/// A harness failure with its reason (a process that did not start, a call that failed, a broken invariant).
public struct HarnessError: Error, CustomStringConvertible, Sendable {
    /// What went wrong.
    public var description: String

    /// Makes an error.
    /// - Parameter description: what went wrong.
    public init(_ description: String) { self.description = description }
}
