import Foundation
import Testing
import ZooKeeperTestSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The built `zoostack zookeeper` binary running as a subprocess on a loopback port, with its data in a directory
/// that outlives a SIGKILL so that the server can be restarted on it.
final class ZooStackServerProcess: Sendable {
    /// The binary: `$ZOOSTACK_BINARY`, or `zoostack` beside the test bundle (`.build/debug`).
    static let binary: URL = {
        if let path = ProcessInfo.processInfo.environment["ZOOSTACK_BINARY"] { return URL(fileURLWithPath: path) }
        var directory = Bundle.main.bundleURL
        if directory.pathExtension == "xctest" { directory.deleteLastPathComponent() }
        return directory.appendingPathComponent("zoostack")
    }()

    /// The client port.
    let port: Int
    /// The data directory (`--data-dir`).
    let dataDir: URL
    /// Where the server's output goes.
    let logFile: URL
    /// The arguments after `--port P --data-dir D`.
    let extraArguments: [String]
    private let process: Process

    /// `127.0.0.1:<port>`.
    var connectString: String { "127.0.0.1:\(self.port)" }

    private init(port: Int, dataDir: URL, logFile: URL, extraArguments: [String], process: Process) {
        self.port = port
        self.dataDir = dataDir
        self.logFile = logFile
        self.extraArguments = extraArguments
        self.process = process
    }

    /// Starts `zoostack zookeeper` and waits until it answers `ruok`.
    /// - Parameters:
    ///   - port: the port, or `nil` for a free one.
    ///   - dataDir: the data directory, or `nil` for a new temporary one.
    ///   - extraArguments: further options (`--tick-time 500`, ...).
    /// - Returns: the running server.
    static func start(
        port: Int? = nil,
        dataDir: URL? = nil,
        extraArguments: [String] = ["--4lw-whitelist", "*"]
    ) async throws -> ZooStackServerProcess {
        // A free port is only free a moment ago (``FreePort``): when another process took it meanwhile, another.
        guard port == nil else {
            return try await self.launch(port: port, dataDir: dataDir, extraArguments: extraArguments)
        }
        for _ in 1..<3 {
            do {
                return try await self.launch(port: nil, dataDir: dataDir, extraArguments: extraArguments)
            } catch let error as ZooStackServerProcessError where error.description.contains("Address already in use") {
                continue
            }
        }
        return try await self.launch(port: nil, dataDir: dataDir, extraArguments: extraArguments)
    }

    private static func launch(
        port: Int?,
        dataDir: URL?,
        extraArguments: [String]
    ) async throws -> ZooStackServerProcess {
        try #require(
            FileManager.default.isExecutableFile(atPath: self.binary.path),
            "no zoostack binary at \(self.binary.path): run `swift build` first"
        )
        let port = try port ?? FreePort.allocate()
        let dataDir =
            dataDir
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("zoostack-interop-\(UUID())/data")
        try FileManager.default.createDirectory(at: dataDir, withIntermediateDirectories: true)
        let logFile = dataDir.deletingLastPathComponent().appendingPathComponent("server-\(UUID()).log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let process = Process()
        process.executableURL = self.binary
        process.arguments =
            ["zookeeper", "--port", "\(port)", "--metrics-port", "0", "--data-dir", dataDir.path] + extraArguments
        let handle = try FileHandle(forWritingTo: logFile)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let server = ZooStackServerProcess(
            port: port,
            dataDir: dataDir,
            logFile: logFile,
            extraArguments: extraArguments,
            process: process
        )
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline && process.isRunning {
            if (try? await RawZooKeeperClient.fourLetterWord("ruok", port: port)) == "imok" { return server }
            try await Task.sleep(for: .milliseconds(50))
        }
        let output = server.log
        server.kill()
        throw ZooStackServerProcessError(description: "zoostack zookeeper did not start on port \(port):\n\(output)")
    }

    /// Starts a new process on the same port and data directory.
    func restart() async throws -> ZooStackServerProcess {
        try await Self.start(port: self.port, dataDir: self.dataDir, extraArguments: self.extraArguments)
    }

    /// Whether the process is still running.
    var isRunning: Bool { self.process.isRunning }

    /// The server's output so far (its last 4000 characters).
    var log: String { String(((try? String(contentsOf: self.logFile, encoding: .utf8)) ?? "").suffix(4000)) }

    /// SIGKILL, as a crash: nothing is flushed or closed.
    func kill() {
        if self.process.isRunning {
            #if canImport(Glibc)
            _ = Glibc.kill(self.process.processIdentifier, SIGKILL)
            #else
            _ = Darwin.kill(self.process.processIdentifier, SIGKILL)
            #endif
        }
        self.process.waitUntilExit()
    }

    /// SIGTERM and wait, then remove the data directory.
    func stop() {
        if self.process.isRunning {
            self.process.terminate()
            self.process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: self.dataDir.deletingLastPathComponent())
    }
}

/// Runs an executable with arguments and waits, with a time limit.
enum Subprocess {
    /// What a run printed and returned.
    struct Result: Sendable {
        var status: Int32
        var output: String
    }

    /// Runs `executable` (an absolute path, or a name found in `PATH`), capturing stdout and stderr together.
    /// - Throws: when the program is missing or runs past `limit` (it is then killed).
    static func run(
        _ executable: String,
        _ arguments: [String],
        standardInput: String? = nil,
        limit: Duration = .seconds(40)
    ) async throws -> Result {
        let path = try #require(self.locate(executable), "\(executable) not found in PATH")
        let outURL = FileManager.default.temporaryDirectory.appendingPathComponent("interop-out-\(UUID())")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outURL) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let handle = try FileHandle(forWritingTo: outURL)
        process.standardOutput = handle
        process.standardError = handle
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let standardInput { input.fileHandleForWriting.write(Data(standardInput.utf8)) }
        try input.fileHandleForWriting.close()
        let deadline = ContinuousClock.now + limit
        while process.isRunning && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        let timedOut = process.isRunning
        if timedOut {
            process.terminate()
        }
        process.waitUntilExit()
        let output = try String(contentsOf: outURL, encoding: .utf8)
        if timedOut {
            throw ZooStackServerProcessError(description: "\(executable) ran past \(limit):\n\(output.suffix(3000))")
        }
        return Result(status: process.terminationStatus, output: output)
    }

    private static func locate(_ executable: String) -> String? {
        if executable.hasPrefix("/") {
            return FileManager.default.isExecutableFile(atPath: executable) ? executable : nil
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(executable)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The directory of this test target's resources (the Python scripts).
    static let resources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Resources")

    /// The repository's `scripts` directory.
    static let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts")
}

/// A process did not start or did not finish in time.
struct ZooStackServerProcessError: Error, CustomStringConvertible {
    var description: String
}
