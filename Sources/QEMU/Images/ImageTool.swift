#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

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
    /// (after killing it) when it runs longer than `timeout`. It inherits no descriptor of this process and is
    /// waited for without blocking a thread (``HostProcess``).
    @discardableResult
    static func run(
        _ name: String,
        _ arguments: [String],
        timeout: Duration = .seconds(300)
    ) async throws(QEMUError) -> Data {
        let executable = try Self.locate(name)
        let scratch = try ScratchDirectory(prefix: "zoostack-tool")
        defer { scratch.remove() }
        let outPath = scratch.url.appendingPathComponent("stdout").path
        let errPath = scratch.url.appendingPathComponent("stderr").path
        let out = open(outPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        defer { if out >= 0 { close(out) } }
        let err = open(errPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        defer { if err >= 0 { close(err) } }
        guard out >= 0, err >= 0 else { throw QEMUError(.toolFailed, "\(name): cannot create its output files") }
        let pid = try HostProcess.spawn(executable, arguments, stdout: out, stderr: err)
        let exit = await HostProcess.wait(pid, timeout: timeout)
        if exit.timedOut { throw QEMUError(.timeout, "\(name) ran longer than \(timeout)") }
        guard exit.status == 0 else {
            let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
            let last = stderr.split(whereSeparator: \.isNewline).last.map(String.init) ?? "no message"
            throw QEMUError(.toolFailed, "\(name) exited with status \(exit.status): \(last)")
        }
        return FileManager.default.contents(atPath: outPath) ?? Data()
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
            throw QEMUError(.toolFailed, "cannot create a temporary directory: \(error.reasonText)")
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
            throw QEMUError(.toolFailed, "cannot write \(destination.path): \(error.reasonText)")
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
            try FileBytes.replaceFile(file.path, with: Array(contents))
            try FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: file.path)
        } catch {
            throw QEMUError(.toolFailed, "cannot write \(relativePath): \(error.reasonText)")
        }
    }
}
