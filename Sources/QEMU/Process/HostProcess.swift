import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Small helpers around host processes: run a program with a time limit, look a pid up in `/proc`.
enum HostProcess {
    /// What a finished program left.
    struct Outcome {
        var status: Int32
        var timedOut: Bool
        var stderr: String
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

    /// Runs a program to its end, killing it (SIGKILL) when it outlives `timeout`.
    ///
    /// Spawned with `posix_spawn` and reaped with `waitpid`, not Foundation's `Process`: that one learns of an exit
    /// when a socket it passes to the child closes, and a daemonizing child (QEMU's `-daemonize`) hands that
    /// socket on to the daemon, so the exit would go unnoticed.
    /// - Throws: `.toolMissing` when the program is not installed, `.toolFailed` when it cannot be started.
    static func run(_ program: String, _ arguments: [String], timeout: Duration) async throws(QEMUError) -> Outcome {
        guard let executable = self.locate(program) else {
            throw QEMUError(.toolMissing, "\(program) is not installed")
        }
        var pipe: [Int32] = [-1, -1]
        guard Glibc.pipe(&pipe) == 0 else {
            throw QEMUError(.toolFailed, "\(program): cannot make a pipe: \(String(cString: strerror(errno)))")
        }
        // Neither end may leak into other programs; the spawn's dup2 gives QEMU its own stderr.
        for fd in pipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        defer { close(pipe[0]) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, pipe[1], 2)
        // Nothing else of this process reaches the program: a daemonized QEMU would otherwise keep the management
        // server's listening sockets (its API and agent ports stay taken after it stops) and the socket by which
        // Foundation's `Process` in the server's parent learns of the server's exit (that exit would go unnoticed).
        Self.closeFrom(3, in: &actions)
        let argv = ([executable] + arguments).map { strdup($0) }
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv + [nil], environ)
        close(pipe[1])
        guard spawned == 0 else {
            throw QEMUError(.toolFailed, "\(program): cannot start: \(String(cString: strerror(spawned)))")
        }
        let deadline = ContinuousClock.now + timeout
        var status: Int32 = 0
        var timedOut = false
        while waitpid(pid, &status, WNOHANG) == 0 {
            if ContinuousClock.now >= deadline {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                timedOut = true
                break
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
        // WEXITSTATUS, or 128 + the signal for a killed process.
        let exitStatus = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Outcome(status: exitStatus, timedOut: timedOut, stderr: self.drain(pipe[0]))
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which Swift's Glibc module does not
    /// import: looked up at run time; without it the spawned program inherits the descriptors not marked close-on-exec.
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// Adds "close every descriptor from `lowest` on" to the spawn's file actions, when glibc has it.
    private static func closeFrom(_ lowest: Int32, in actions: inout posix_spawn_file_actions_t) {
        guard let handle = dlopen(nil, RTLD_NOW) else { return }
        defer { dlclose(handle) }
        guard let symbol = dlsym(handle, "posix_spawn_file_actions_addclosefrom_np") else { return }
        _ = unsafeBitCast(symbol, to: AddCloseFrom.self)(&actions, lowest)
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
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
