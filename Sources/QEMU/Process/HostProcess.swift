#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

#if canImport(Glibc)
import Glibc
#endif

/// Small helpers around host processes: start a program that inherits nothing but its standard descriptors, wait
/// for it without blocking a thread, look a pid up in `/proc`.
///
/// Every program the agent runs (`qemu-system-x86_64`, `qemu-img`, `xorriso`, `ip`) starts here, with
/// `posix_spawn`, not Foundation's `Process`, for two reasons (issue 13's hang under concurrent starts):
/// - A child must inherit no descriptor of the agent. A daemonized QEMU lives for days: whatever it inherits stays
///   open that long, whether a management connection, another VM's QMP connection, or the socket pair through
///   which Foundation's `Process` learns that a program exited (made without close-on-exec, so that a QEMU
///   launched meanwhile kept it, and Foundation never saw that `qemu-img` or `ip` end).
/// - The wait polls `waitpid(WNOHANG)` between sleeps: `Process.waitUntilExit()` spins a run loop on the calling
///   thread, which here is one of the cooperative pool's two; two such waits that never end stop the agent.
enum HostProcess {
    /// What a finished program left.
    struct Outcome {
        var status: Int32
        var timedOut: Bool
        var stderr: String
    }

    /// How a wait ended: the exit status (128 + the signal for a killed process), and whether it was killed for
    /// outliving its time.
    struct Exit {
        var status: Int32
        var timedOut: Bool
    }

    /// Finds an executable: a path with a slash as is, otherwise the first match on `PATH`.
    static func locate(_ program: String) -> String? {
        if program.contains("/") { return FileManager.default.isExecutableFile(atPath: program) ? program : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Starts `executable` with stdin on `/dev/null`, stdout and stderr on the given descriptors (`/dev/null`
    /// when nil), and every other descriptor closed, whether or not it is close-on-exec.
    /// - Returns: the child's pid; ``wait(_:timeout:)`` reaps it.
    /// - Throws: `.toolFailed` when it cannot be started.
    static func spawn(
        _ executable: String,
        _ arguments: [String],
        stdout: Int32? = nil,
        stderr: Int32? = nil
    ) throws(QEMUError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        for (target, source) in [(Int32(1), stdout), (2, stderr)] {
            if let source {
                posix_spawn_file_actions_adddup2(&actions, source, target)
            } else {
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", O_WRONLY, 0)
            }
        }
        ChildDescriptors.closeAbove2(&actions)
        let argv = ([executable] + arguments).map { strdup($0) }
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv + [nil], environ)
        guard spawned == 0 else {
            let name = executable.lastPathComponentText
            throw QEMUError(.toolFailed, "\(name): cannot start: \(String(cString: strerror(spawned)))")
        }
        return pid
    }

    /// Waits for a child started by ``spawn(_:_:stdout:stderr:)`` to end and reaps it, sleeping between checks (1 ms
    /// at first, then up to 10 ms), so that no thread blocks; kills it (SIGKILL) when it outlives `timeout`.
    static func wait(_ pid: pid_t, timeout: Duration) async -> Exit {
        let deadline = ContinuousClock.now + timeout
        var timedOut = false
        var pause = 1
        var status: Int32 = 0
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { break }
            if reaped == -1 {
                if errno == EINTR { continue }
                // Not our child any more (someone else reaped it): its status is lost.
                return Exit(status: 255, timedOut: timedOut)
            }
            if !timedOut, ContinuousClock.now >= deadline {
                kill(pid, SIGKILL)
                timedOut = true
            }
            try? await Task.sleep(for: .milliseconds(pause))
            pause = min(pause * 2, 10)
        }
        // WEXITSTATUS, or 128 + the signal for a killed process.
        let exitStatus = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Exit(status: exitStatus, timedOut: timedOut)
    }

    /// Runs a program to its end, killing it (SIGKILL) when it outlives `timeout`, and returns its stderr.
    ///
    /// Reaped with `waitpid`, not through Foundation's `Process`: that one learns of an exit when a socket it
    /// passes to the child closes, and a daemonizing child (QEMU's `-daemonize`) hands that socket on to the
    /// daemon, so the exit would go unnoticed.
    /// - Throws: `.toolMissing` when the program is not installed, `.toolFailed` when it cannot be started.
    static func run(_ program: String, _ arguments: [String], timeout: Duration) async throws(QEMUError) -> Outcome {
        guard let executable = self.locate(program) else {
            throw QEMUError(.toolMissing, "\(program) is not installed")
        }
        var pipe: [Int32] = [-1, -1]
        guard Glibc.pipe(&pipe) == 0 else {
            throw QEMUError(.toolFailed, "\(program): cannot make a pipe: \(String(cString: strerror(errno)))")
        }
        // Neither end may leak into a program another thread starts meanwhile (ours close everything anyway).
        for fd in pipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        defer { close(pipe[0]) }
        let pid: pid_t
        do {
            pid = try self.spawn(executable, arguments, stderr: pipe[1])
            close(pipe[1])
        } catch {
            close(pipe[1])
            throw error
        }
        let exit = await self.wait(pid, timeout: timeout)
        return Outcome(status: exit.status, timedOut: exit.timedOut, stderr: self.drain(pipe[0]))
    }

    /// Reads what a pipe holds without waiting for writers that may still hold it open.
    private static func drain(_ fd: Int32) -> String {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < 1 << 20 {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            bytes += chunk[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether `pid` is a live (not zombie) process whose command line contains `marker`: a pid from a stale pid
    /// file may since belong to another program.
    static func isAlive(_ pid: Int32, marker: String) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        // The state letter follows the parenthesized command name.
        let state = stat[close...].dropFirst().drop(while: { $0 == " " }).first
        guard state != "Z", state != "X" else { return false }
        guard let cmdline = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
        let arguments = cmdline.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        return arguments.contains(marker)
    }

    /// Reads a pid file.
    static func readPID(_ path: String) -> Int32? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return Int32(text.trimmedWhitespace)
    }
}

/// Closes a child's descriptors above stderr at spawn: glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+,
/// declared only under `_GNU_SOURCE`, so looked up at run time), atomic in the child; without it, the descriptors
/// open now, as `/proc/self/fd` lists them (what Foundation's `Process` does on Linux).
enum ChildDescriptors {
    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32

    /// The function's address (an integer: a pointer is not `Sendable`), 0 when glibc lacks it.
    private static let closeFromAddress = Int(bitPattern: dlsym(nil, "posix_spawn_file_actions_addclosefrom_np"))

    /// Adds the actions that close every descriptor from 3 up.
    static func closeAbove2(_ actions: inout posix_spawn_file_actions_t) {
        if let symbol = UnsafeRawPointer(bitPattern: Self.closeFromAddress),
            unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3) == 0
        {
            return
        }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for fd in open.compactMap({ Int32($0) }) where fd > 2 {
            posix_spawn_file_actions_addclose(&actions, fd)
        }
    }
}
