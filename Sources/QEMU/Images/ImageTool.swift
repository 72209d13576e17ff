import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs the external programs the image builders need (`xorriso`, `qemu-img`, `gzip`), each bounded in time.
///
/// Output goes to files in a private temporary directory rather than pipes, so a chatty program can never block
/// on a full pipe; on failure the error carries the last line of its stderr.
enum ImageTool {
    /// The directories searched, after `$PATH`.
    static let fallbackDirectories = ["/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin"]

    /// The absolute path of an installed program, or `toolMissing`.
    static func locate(_ name: String) throws(QEMUError) -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + Self.fallbackDirectories
        for directory in directories where !directory.isEmpty {
            let candidate = directory + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw QEMUError(.toolMissing, "\(name) is not installed (not found in PATH)")
    }

    /// Runs `name` with `arguments` and returns its standard output; `toolFailed` on a non-zero exit, `timeout`
    /// (after terminating it) when it runs longer than `timeout`.
    @discardableResult
    static func run(
        _ name: String,
        _ arguments: [String],
        timeout: Duration = .seconds(300)
    ) async throws(QEMUError) -> Data {
        let executable = try Self.locate(name)
        let scratch = try ScratchDirectory(prefix: "zoostack-tool")
        defer { scratch.remove() }
        let outURL = scratch.url.appendingPathComponent("stdout")
        let errURL = scratch.url.appendingPathComponent("stderr")
        guard FileManager.default.createFile(atPath: outURL.path, contents: nil),
            FileManager.default.createFile(atPath: errURL.path, contents: nil),
            let out = try? FileHandle(forWritingTo: outURL), let err = try? FileHandle(forWritingTo: errURL)
        else { throw QEMUError(.toolFailed, "\(name): cannot create its output files") }
        defer {
            try? out.close()
            try? err.close()
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        do { try process.run() } catch { throw QEMUError(.toolFailed, "\(name): cannot start: \(error)") }
        let deadline = ContinuousClock.now.advanced(by: timeout)
        var timedOut = false
        while process.isRunning {
            if ContinuousClock.now >= deadline {
                timedOut = true
                kill(process.processIdentifier, SIGKILL)
                break
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
        process.waitUntilExit()
        if timedOut { throw QEMUError(.timeout, "\(name) ran longer than \(timeout)") }
        guard process.terminationStatus == 0 else {
            let stderr = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
            let last = stderr.split(whereSeparator: \.isNewline).last.map(String.init) ?? "no message"
            throw QEMUError(.toolFailed, "\(name) exited with status \(process.terminationStatus): \(last)")
        }
        return (try? Data(contentsOf: outURL)) ?? Data()
    }
}

/// A private temporary directory, removed by `remove()`.
struct ScratchDirectory: Sendable {
    /// Its location.
    let url: URL

    /// Creates `TMPDIR/PREFIX-UUID`.
    init(prefix: String) throws(QEMUError) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw QEMUError(.toolFailed, "cannot create a temporary directory: \(error.localizedDescription)")
        }
        self.url = url
    }

    /// Deletes it and everything in it.
    func remove() { try? FileManager.default.removeItem(at: self.url) }

    /// Moves the finished file `relativePath` to `destination`, replacing it: readers never see a partial file.
    func publish(_ relativePath: String, to destination: URL) throws(QEMUError) {
        let source = self.url.appendingPathComponent(relativePath)
        do {
            try? FileManager.default.removeItem(at: destination)
            try FileManager.default.moveItem(at: source, to: destination)
        } catch {
            throw QEMUError(.toolFailed, "cannot write \(destination.path): \(error.localizedDescription)")
        }
    }

    /// Writes `contents` to `relativePath` (creating its parent directories) with the given permissions.
    func write(_ contents: some DataProtocol, to relativePath: String, permissions: Int = 0o644) throws(QEMUError) {
        let file = self.url.appendingPathComponent(relativePath)
        do {
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            try Data(contents).write(to: file)
            try FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: file.path)
        } catch {
            throw QEMUError(.toolFailed, "cannot write \(relativePath): \(error.localizedDescription)")
        }
    }
}
