#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

#if canImport(Glibc)
import Glibc
#endif

/// A running QEMU: its pid, its QMP client, and the power operations the agent needs.
///
/// QEMU runs daemonized (`-daemonize`): it is not the agent's child, so it outlives the agent, and a restarted
/// agent finds it again from its run directory (`adopt(runDirectory:)`). `-daemonize` also gives a clean
/// launch signal: the first process exits 0 only once the machine is built and the QMP socket listens, and
/// otherwise exits non-zero with QEMU's reason on stderr.
public final class QEMUProcess: Sendable {
    /// The directory holding the QMP socket and pid file.
    public let runDirectory: String
    /// The QEMU process's pid.
    public let pid: Int32
    /// The QMP session.
    public let qmp: QMPClient

    /// What `query-status` says.
    public struct Status: Sendable, Hashable {
        /// Whether the vCPUs run.
        public var running: Bool
        /// QEMU's run state (`running`, `paused`, `prelaunch`, `shutdown`, `guest-panicked`, ...).
        public var status: String

        /// Makes a status.
        /// - Parameters:
        ///   - running: whether the vCPUs run.
        ///   - status: the run state.
        public init(running: Bool, status: String) {
            self.running = running
            self.status = status
        }
    }

    private init(runDirectory: String, pid: Int32, qmp: QMPClient) {
        self.runDirectory = runDirectory
        self.pid = pid
        self.qmp = qmp
    }

    /// Starts a VM and connects to its QMP socket.
    /// - Parameters:
    ///   - machine: the VM.
    ///   - binary: the QEMU program.
    ///   - timeout: how long QEMU may take to daemonize and answer on QMP.
    /// - Returns: the running VM.
    /// - Throws: `.toolMissing` without QEMU; `.launchFailed` with QEMU's own last stderr line when it does not
    ///   start or does not answer in time, or when a QEMU already runs for the run directory. No QEMU process
    ///   is left behind.
    public static func launch(
        _ machine: QEMUMachine,
        binary: String = "qemu-system-x86_64",
        timeout: Duration = .seconds(10)
    ) async throws(QEMUError) -> QEMUProcess {
        let directory = machine.runDirectory
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw QEMUError(.launchFailed, "cannot create run directory \(directory): \(error.reasonText)")
        }
        // A second start in the same directory would orphan the first QEMU (its pid file and socket replaced).
        if let running = HostProcess.readPID(machine.pidFilePath),
            HostProcess.isAlive(running, marker: machine.pidFilePath)
        {
            throw QEMUError(.launchFailed, "a QEMU already runs for \(directory) (pid \(running))")
        }
        try? FileManager.default.removeItem(atPath: machine.pidFilePath)
        try? FileManager.default.removeItem(atPath: machine.qmpSocketPath)
        let start = ContinuousClock.now
        let outcome = try await HostProcess.run(binary, machine.arguments, timeout: timeout)
        guard outcome.status == 0, !outcome.timedOut else {
            Self.killLeftover(pidFile: machine.pidFilePath)
            let reason =
                outcome.timedOut
                ? "QEMU did not start within \(timeout)"
                : Self.lastLine(outcome.stderr) ?? "QEMU exited with status \(outcome.status)"
            throw QEMUError(.launchFailed, reason)
        }
        guard let pid = HostProcess.readPID(machine.pidFilePath) else {
            throw QEMUError(.launchFailed, "QEMU wrote no pid file at \(machine.pidFilePath)")
        }
        let remaining = timeout - (ContinuousClock.now - start)
        do {
            let qmp = try await QMPClient.connect(
                socketPath: machine.qmpSocketPath,
                timeout: max(remaining, .seconds(1))
            )
            return QEMUProcess(runDirectory: directory, pid: pid, qmp: qmp)
        } catch {
            Self.killLeftover(pidFile: machine.pidFilePath)
            throw QEMUError(.launchFailed, "QEMU started but its QMP socket did not answer: \(error.message)")
        }
    }

    /// Re-opens a QEMU left running by an earlier agent, from its run directory's pid file and QMP socket.
    /// - Parameters:
    ///   - runDirectory: the directory the VM was launched with.
    ///   - timeout: how long the QMP connection may take.
    /// - Returns: the running VM.
    /// - Throws: `.notRunning` when no live QEMU belongs to the directory; a QMP error when it does not answer.
    public static func adopt(
        runDirectory: String,
        timeout: Duration = .seconds(5)
    ) async throws(QEMUError)
        -> QEMUProcess
    {
        let pidFile = QEMUMachine.pidFilePath(in: runDirectory)
        guard let pid = HostProcess.readPID(pidFile), HostProcess.isAlive(pid, marker: pidFile) else {
            throw QEMUError(.notRunning, "no running QEMU for \(runDirectory)")
        }
        let qmp = try await QMPClient.connect(socketPath: QEMUMachine.qmpSocketPath(in: runDirectory), timeout: timeout)
        return QEMUProcess(runDirectory: runDirectory, pid: pid, qmp: qmp)
    }

    /// Whether the QEMU process is alive (a zombie counts as gone).
    public var isRunning: Bool {
        HostProcess.isAlive(self.pid, marker: QEMUMachine.pidFilePath(in: self.runDirectory))
    }

    /// Asks QEMU for its run state (`query-status`).
    /// - Returns: the status.
    /// - Throws: a QMP error.
    public func status() async throws(QEMUError) -> Status {
        let reply = try await self.qmp.execute("query-status")
        guard let running = reply["running"]?.boolValue, let status = reply["status"]?.stringValue else {
            throw QEMUError(.protocolError, "query-status: unexpected reply")
        }
        return Status(running: running, status: status)
    }

    /// Presses the ACPI power button (`system_powerdown`); a guest that heeds it powers off and QEMU exits.
    /// - Throws: a QMP error.
    public func powerdown() async throws(QEMUError) {
        try await self.qmp.execute("system_powerdown")
    }

    /// Resets the machine (`system_reset`), as the reset button does.
    /// - Throws: a QMP error.
    public func reset() async throws(QEMUError) {
        try await self.qmp.execute("system_reset")
    }

    /// Ends QEMU at once (`quit`) and waits for the process to be gone.
    /// - Parameter timeout: how long the process may take to exit.
    /// - Throws: `.timeout` when it is still there.
    public func quit(timeout: Duration = .seconds(10)) async throws(QEMUError) {
        do {
            try await self.qmp.execute("quit")
        } catch  where error.code == .protocolError {
            // QEMU may close the socket before its reply is read: the wait below is what counts.
        }
        try await self.waitForExit(timeout: timeout)
    }

    /// Kills QEMU with SIGKILL and waits for it to be gone.
    /// - Parameter timeout: how long the process may take to disappear.
    /// - Throws: `.timeout` when it is still there.
    public func kill(timeout: Duration = .seconds(10)) async throws(QEMUError) {
        if self.isRunning { _ = Glibc.kill(self.pid, SIGKILL) }
        try await self.waitForExit(timeout: timeout)
    }

    /// Waits until the process is gone.
    /// - Parameter timeout: the longest wait.
    /// - Throws: `.timeout` when it is still there.
    public func waitForExit(timeout: Duration) async throws(QEMUError) {
        let deadline = ContinuousClock.now + timeout
        while self.isRunning {
            guard ContinuousClock.now < deadline else {
                throw QEMUError(.timeout, "QEMU pid \(self.pid) still running after \(timeout)")
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    private static func killLeftover(pidFile: String) {
        if let pid = HostProcess.readPID(pidFile), HostProcess.isAlive(pid, marker: pidFile) {
            _ = Glibc.kill(pid, SIGKILL)
        }
    }

    private static func lastLine(_ text: String) -> String? {
        text.split(whereSeparator: \.isNewline).last(where: { !$0.allSatisfy(\.isWhitespace) }).map(String.init)
    }
}
