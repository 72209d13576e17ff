import ClusterHarness
import Foundation
import Testing

/// Runs the built `zoostack` binary, as swift-argument-parser's `AssertExecuteCommand` does.
enum ZooStackExecutable {
    /// What one run printed and returned.
    struct Result: Sendable {
        /// The exit status.
        var status: Int32
        /// Everything written to stdout.
        var stdout: String
        /// Everything written to stderr.
        var stderr: String
    }

    /// The binary: `$ZOOSTACK_BINARY`, or `zoostack` next to the test bundle (`.build/debug`).
    static let url = ZooStackBinary.url

    /// The lean host agent: `$ZOOSTACK_AGENT_BINARY`, or `zoostack-agent` next to the test bundle.
    static let agentURL = ZooStackBinary.agentURL

    /// Runs `zoostack` (or another program) with arguments and waits for it to exit.
    /// - Parameters:
    ///   - arguments: the arguments.
    ///   - executable: the program (default: the built `zoostack`).
    ///   - environment: extra environment variables.
    /// - Returns: its status and output.
    /// - Throws: when the binary is missing or cannot be started.
    static func run(
        _ arguments: [String],
        executable: URL = url,
        environment: [String: String] = [:]
    ) async throws -> Result {
        try #require(
            FileManager.default.isExecutableFile(atPath: executable.path),
            "no executable at \(executable.path): run `swift build` first"
        )
        let directory = FileManager.default.temporaryDirectory
        let outURL = directory.appendingPathComponent("zoostack-out-\(UUID())")
        let errURL = directory.appendingPathComponent("zoostack-err-\(UUID())")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        // Files rather than pipes: no reader has to keep up while the process runs.
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in continuation.resume() }
            do {
                try process.run()
            } catch {
                continuation.resume(throwing: error)
            }
        }
        return Result(
            status: process.terminationStatus,
            stdout: try String(contentsOf: outURL, encoding: .utf8),
            stderr: try String(contentsOf: errURL, encoding: .utf8)
        )
    }
}
