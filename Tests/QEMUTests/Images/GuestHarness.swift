import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A per-test temporary directory; `withTestDirectory` removes it whatever happens.
struct TestDirectory: Sendable {
    /// Its location.
    let url: URL

    /// The path of `name` inside it.
    func path(_ name: String) -> String { self.url.appendingPathComponent(name).path }
}

/// Runs `body` with a fresh directory under `/tmp` (short, so unix socket paths fit), then removes it.
func withTestDirectory<T>(_ body: (TestDirectory) async throws -> T) async throws -> T {
    let url = URL(fileURLWithPath: "/tmp/qemu-test-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try await body(TestDirectory(url: url))
}

/// One `qemu-system-x86_64` (TCG, no network, serial console to a file) owned by a test.
final class GuestProcess {
    /// The serial console log.
    let serialLog: String
    /// The HMP monitor's unix socket.
    let monitorSocket: String
    private let process = Process()

    private init(directory: TestDirectory, extraArguments: [String]) throws {
        self.serialLog = directory.path("serial.log")
        self.monitorSocket = directory.path("monitor.sock")
        self.process.executableURL = URL(fileURLWithPath: "/usr/bin/qemu-system-x86_64")
        self.process.arguments =
            [
                "-accel", "tcg", "-m", "192", "-nodefaults", "-display", "none", "-nic", "none",
                "-serial", "file:" + self.serialLog, "-monitor", "unix:\(self.monitorSocket),server,nowait",
            ] + extraArguments
        let stderr = directory.path("qemu.stderr")
        _ = FileManager.default.createFile(atPath: stderr, contents: nil)
        self.process.standardInput = FileHandle.nullDevice
        self.process.standardOutput = FileHandle.nullDevice
        self.process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderr))
        try self.process.run()
    }

    /// Starts QEMU with `arguments` added, runs `body`, and always kills QEMU (SIGKILL, then waits) afterwards.
    static func with<T>(
        _ directory: TestDirectory,
        arguments: [String],
        _ body: (GuestProcess) async throws -> T
    ) async throws -> T {
        let guest = try GuestProcess(directory: directory, extraArguments: arguments)
        defer { guest.kill() }
        return try await body(guest)
    }

    /// The serial console so far.
    func console() -> String {
        (try? String(contentsOfFile: self.serialLog, encoding: .utf8)) ?? ""
    }

    /// Waits (polling, at most `timeout`) until the console has a line containing each of `needles`; returns the
    /// console. Fails the test on timeout. The default is generous: amid the whole suite's burst on two cores, a TCG
    /// boot from a CD-ROM showed nothing for a minute.
    func waitForConsole(
        containing needles: [String],
        timeout: Duration = .seconds(180),
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> String {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while true {
            let text = self.console()
            if needles.allSatisfy({ text.contains($0) }) { return text }
            if ContinuousClock.now >= deadline || !self.process.isRunning {
                Issue.record("console lacks \(needles) after \(timeout):\n\(text)", sourceLocation: sourceLocation)
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Whether QEMU exited by itself within `timeout`.
    func waitForExit(timeout: Duration) async throws -> Bool {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while self.process.isRunning {
            if ContinuousClock.now >= deadline { return false }
            try await Task.sleep(for: .milliseconds(100))
        }
        return true
    }

    /// Sends one HMP command line (e.g. `system_powerdown`) on the monitor socket.
    func monitor(_ command: String) async throws {
        let deadline = ContinuousClock.now.advanced(by: .seconds(10))
        while !FileManager.default.fileExists(atPath: self.monitorSocket) {
            guard ContinuousClock.now < deadline else { throw CancellationError() }
            try await Task.sleep(for: .milliseconds(50))
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let path = Array(self.monitorSocket.utf8)
        try #require(path.count < MemoryLayout.size(ofValue: address.sun_path))
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: path)
            buffer[path.count] = 0
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        try #require(connected == 0, "connect \(self.monitorSocket): errno \(errno)")
        let line = Array((command + "\n").utf8)
        let written = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        try #require(written == line.count)
        // Let the monitor read the line before the connection closes.
        try await Task.sleep(for: .milliseconds(300))
    }

    /// SIGKILL (if still running), then reap.
    func kill() {
        if self.process.isRunning { Glibc.kill(self.process.processIdentifier, SIGKILL) }
        self.process.waitUntilExit()
    }
}
