import Foundation
import Testing
import ZooKeeperTestSupport

/// A `zoostack serve` process with a temporary data directory, a free API port and no fixed ZooKeeper port,
/// ready once `zoostack call listZones` succeeds with the credentials it wrote.
final class ServedCloud {
    /// The data directory (holds admin-credentials.json and serve.log).
    let dataDir: String
    let process: Process
    /// The API port.
    let apiPort: Int
    /// The network namespace the server (and every command run against it) runs in, nil for the machine's.
    let namespace: String?

    private init(dataDir: String, process: Process, apiPort: Int, namespace: String?) {
        self.dataDir = dataDir
        self.process = process
        self.apiPort = apiPort
        self.namespace = namespace
    }

    /// `command` as run in the cloud's network namespace (through `ip netns exec`), with the program to start.
    func inNamespace(_ command: [String]) -> (arguments: [String], executable: URL) {
        guard let namespace else { return (command, URL(fileURLWithPath: "/usr/bin/env")) }
        return (["ip", "netns", "exec", namespace] + command, URL(fileURLWithPath: "/usr/bin/env"))
    }

    /// `<data-dir>/admin-credentials.json`.
    var credentials: String { "\(self.dataDir)/admin-credentials.json" }

    /// What the server logged so far.
    var log: String { (try? String(contentsOfFile: "\(self.dataDir)/serve.log", encoding: .utf8)) ?? "" }

    /// Starts the server and waits until it answers a signed call.
    /// - Parameters:
    ///   - database: `--database` (nil: SQLite in the data directory).
    ///   - dataDir: an existing data directory to reuse (a restart), or nil for a new one.
    ///   - apiPort: the API port (a restart keeps the one its credentials name), or nil for a free one.
    ///   - arguments: more options of `serve`.
    ///   - readyTimeout: how long it may take to answer.
    ///   - namespace: a network namespace to run it in (see ``NetworkNamespace``), nil for the machine's.
    static func start(
        database: String? = nil,
        dataDir: String? = nil,
        apiPort: Int? = nil,
        arguments: [String] = [],
        readyTimeout: Duration = .seconds(60),
        namespace: String? = nil
    ) async throws -> ServedCloud {
        let apiPort = try apiPort ?? FreePort.allocate()
        let dataDir =
            dataDir ?? FileManager.default.temporaryDirectory.appendingPathComponent("zoostack-cloud-\(UUID())").path
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
        let logPath = "\(dataDir)/serve.log"
        if !FileManager.default.fileExists(atPath: logPath) {
            _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        }
        let process = Process()
        process.executableURL = ZooStackExecutable.url
        process.arguments = [
            "serve", "--data-dir", dataDir, "--api-port", String(apiPort), "--zookeeper-port", "0",
            "--zookeeper-metrics-port", "0",
        ]
        if let database { process.arguments? += ["--database", database] }
        process.arguments? += arguments
        if let namespace {
            // `ip netns exec` execs the server: the process is the server's.
            process.arguments =
                ["ip", "netns", "exec", namespace, ZooStackExecutable.url.path] + (process.arguments ?? [])
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        }
        // Appended to: a restart's log follows the crashed run's.
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        log.seekToEndOfFile()
        process.standardOutput = log
        process.standardError = log
        try process.run()
        let cloud = ServedCloud(dataDir: dataDir, process: process, apiPort: apiPort, namespace: namespace)
        var answer = ZooStackExecutable.Result(status: -1, stdout: "", stderr: "")
        // Process start-up has no event to wait on: poll for the credentials file and a first good call.
        let deadline = ContinuousClock.now + readyTimeout
        while process.isRunning, ContinuousClock.now < deadline {
            if FileManager.default.fileExists(atPath: cloud.credentials) {
                answer =
                    if namespace != nil {
                        try await ZooStackExecutable.run(
                            cloud.inNamespace([ZooStackExecutable.url.path, "call", "--data-dir", dataDir, "listZones"])
                                .arguments,
                            executable: URL(fileURLWithPath: "/usr/bin/env")
                        )
                    } else {
                        try await ZooStackExecutable.run(["call", "--data-dir", dataDir, "listZones"])
                    }
                if answer.status == 0 { return cloud }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        cloud.stop()
        Issue.record("zoostack serve did not come up: \(answer.stderr)\n\(cloud.log)")
        throw CancellationError()
    }

    /// Runs `zoostack call --profile <admin credentials>` with arguments.
    func call(_ arguments: [String]) async throws -> ZooStackExecutable.Result {
        try await ZooStackExecutable.run(["call", "--profile", self.credentials] + arguments)
    }

    /// SIGKILL, as a crash: nothing is closed or flushed; the data directory stays.
    func crash() {
        guard self.process.isRunning else { return }
        kill(self.process.processIdentifier, SIGKILL)
        self.process.waitUntilExit()
    }

    /// SIGTERM, wait, remove the data directory (unless `keepingData`, for a restart).
    func stop(keepingData: Bool = false) {
        if self.process.isRunning {
            self.process.terminate()
            self.process.waitUntilExit()
        }
        if !keepingData { try? FileManager.default.removeItem(atPath: self.dataDir) }
    }
}
