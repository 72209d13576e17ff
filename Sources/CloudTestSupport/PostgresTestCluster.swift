import Foundation
import Synchronization
import ZooKeeperTestSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A throwaway PostgreSQL cluster for tests: Debian's binaries (`/usr/lib/postgresql/*/bin`), `initdb` into a
/// temporary directory (`-A trust -U zoostack`, fsync off), `postgres` listening on a free loopback port with its
/// socket in that directory. As root (PostgreSQL refuses to run as root) the directory is given to the `postgres`
/// user and the binaries run through `setpriv`, which execs them, so the server is a direct child of the test
/// process. A watchdog shell stops the server and removes the directory when the test process ends, however it
/// ends, so the cluster never outlives the tests.
///
/// ```swift
/// let url = try await PostgresTestCluster.shared().createDatabase()   // postgres://zoostack@127.0.0.1:PORT/db_N
/// ```
public final class PostgresTestCluster: Sendable {
    /// The loopback port the server listens on.
    public let port: Int
    /// The cluster's directory (data, socket, log).
    public let directory: URL
    let binaries: URL
    private let process: Process
    private let watchdog: Process
    private let databases = Mutex(0)

    private static let starting = Mutex<Task<PostgresTestCluster, any Error>?>(nil)

    private init(port: Int, directory: URL, binaries: URL, process: Process, watchdog: Process) {
        self.port = port
        self.directory = directory
        self.binaries = binaries
        self.process = process
        self.watchdog = watchdog
    }

    /// The cluster every test of this process shares, started on first use.
    /// - Returns: the running cluster.
    /// - Throws: ``PostgresTestClusterError`` when PostgreSQL is not installed or does not start.
    public static func shared() async throws -> PostgresTestCluster {
        let task = Self.starting.withLock { task in
            if let task { return task }
            let started = Task { try await Self.start() }
            task = started
            return started
        }
        return try await task.value
    }

    /// Creates an empty database owned by `zoostack`.
    /// - Returns: its `postgres://` URL.
    /// - Throws: ``PostgresTestClusterError`` when `createdb` fails.
    public func createDatabase() throws -> String {
        let number = self.databases.withLock { count in
            count += 1
            return count
        }
        let name = "zoostack_test_\(number)"
        try Self.run(
            self.binaries.appendingPathComponent("createdb"),
            ["-h", "127.0.0.1", "-p", String(self.port), "-U", "zoostack", name],
            asPostgres: false
        )
        return "postgres://zoostack@127.0.0.1:\(self.port)/\(name)?sslmode=disable"
    }

    /// Stops the server (fast shutdown) and removes its directory.
    public func shutdown() {
        if self.watchdog.isRunning { kill(self.watchdog.processIdentifier, SIGKILL) }
        if self.process.isRunning {
            kill(self.process.processIdentifier, SIGINT)
            self.process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: self.directory)
    }

    // MARK: - Starting

    private static func start() async throws -> PostgresTestCluster {
        let binaries = try Self.findBinaries()
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("zoostack-pg-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let data = directory.appendingPathComponent("data")
        if getuid() == 0 {
            try Self.run(URL(fileURLWithPath: "/bin/chown"), ["postgres:postgres", directory.path])
        }
        try Self.run(
            binaries.appendingPathComponent("initdb"),
            ["-D", data.path, "-A", "trust", "-U", "zoostack", "-E", "UTF8", "--no-sync"],
            asPostgres: true
        )
        let port = try FreePort.allocate()
        let log = directory.appendingPathComponent("postgres.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        if getuid() == 0 {
            try Self.run(URL(fileURLWithPath: "/bin/chown"), ["postgres:postgres", log.path])
        }
        let process = try Self.launch(
            binaries.appendingPathComponent("postgres"),
            [
                "-D", data.path, "-k", directory.path, "-h", "127.0.0.1", "-p", String(port), "-F",
                "-c", "max_connections=400", "-c", "full_page_writes=off", "-c", "synchronous_commit=off",
            ],
            log: log
        )
        let watchdog = try Self.launchWatchdog(for: process.processIdentifier, directory: directory)
        let cluster = PostgresTestCluster(
            port: port,
            directory: directory,
            binaries: binaries,
            process: process,
            watchdog: watchdog
        )
        try await cluster.waitUntilReady(data: data, log: log)
        return cluster
    }

    /// Polls `postmaster.pid`, whose last line reads `ready` once the server accepts connections.
    private func waitUntilReady(data: URL, log: URL) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(60))
        let pidFile = data.appendingPathComponent("postmaster.pid")
        while true {
            guard self.process.isRunning else {
                throw PostgresTestClusterError("postgres exited before accepting connections: \(Self.tail(of: log))")
            }
            if let text = try? String(contentsOf: pidFile, encoding: .utf8),
                text.split(separator: "\n").contains(where: { $0.trimmingCharacters(in: .whitespaces) == "ready" })
            {
                return
            }
            guard clock.now < deadline else {
                self.shutdown()
                throw PostgresTestClusterError("postgres did not accept connections in 60 s: \(Self.tail(of: log))")
            }
            try await Task.sleep(for: .milliseconds(25))
        }
    }

    private static func findBinaries() throws -> URL {
        let root = URL(fileURLWithPath: "/usr/lib/postgresql")
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        let best =
            versions
            .compactMap { version in Int(version).map { ($0, version) } }
            .sorted { $0.0 > $1.0 }
            .map { root.appendingPathComponent($0.1).appendingPathComponent("bin") }
            .first { FileManager.default.isExecutableFile(atPath: $0.appendingPathComponent("postgres").path) }
        guard let best else {
            throw PostgresTestClusterError(
                "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/postgres): apt-get install postgresql"
            )
        }
        return best
    }

    /// The command as given, or (as root) through `setpriv` as the `postgres` user.
    private static func command(_ executable: URL, _ arguments: [String], asPostgres: Bool) -> (URL, [String]) {
        guard asPostgres, getuid() == 0 else { return (executable, arguments) }
        return (
            URL(fileURLWithPath: "/usr/bin/setpriv"),
            ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", executable.path] + arguments
        )
    }

    private static func run(_ executable: URL, _ arguments: [String], asPostgres: Bool = false) throws {
        let (program, argv) = Self.command(executable, arguments, asPostgres: asPostgres)
        let process = Process()
        process.executableURL = program
        process.arguments = argv
        process.currentDirectoryURL = URL(fileURLWithPath: "/")
        let output = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PostgresTestClusterError(
                "\(executable.lastPathComponent) failed (\(process.terminationStatus)): "
                    + String(decoding: text.suffix(2000), as: UTF8.self)
            )
        }
    }

    private static func launch(_ executable: URL, _ arguments: [String], log: URL) throws -> Process {
        let (program, argv) = Self.command(executable, arguments, asPostgres: true)
        let process = Process()
        process.executableURL = program
        process.arguments = argv
        process.currentDirectoryURL = URL(fileURLWithPath: "/")
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    /// A shell that, once the test process is gone (the server's parent changes or disappears), stops the server
    /// (SIGQUIT: immediate shutdown, which also ends its backends; SIGKILL if it lingers) and removes its directory.
    private static func launchWatchdog(for pid: Int32, directory: URL) throws -> Process {
        let script = """
            stop() { kill -QUIT "$2" 2>/dev/null; n=0; while kill -0 "$2" 2>/dev/null && [ $n -lt 50 ]; do \
            sleep 0.1; n=$((n+1)); done; kill -9 "$2" 2>/dev/null; rm -rf "$3"; exit 0; }
            while kill -0 "$2" 2>/dev/null; do
              if [ -r "/proc/$2/stat" ]; then
                read -r _ _ _ ppid _ < "/proc/$2/stat" || exit 0
                if [ "$ppid" != "$1" ]; then stop "$@"; fi
              elif ! kill -0 "$1" 2>/dev/null; then
                stop "$@"
              fi
              sleep 1
            done
            """
        let watchdog = Process()
        watchdog.executableURL = URL(fileURLWithPath: "/bin/sh")
        watchdog.arguments = ["-c", script, "zoostack-pg-watchdog", String(getpid()), String(pid), directory.path]
        watchdog.standardInput = FileHandle.nullDevice
        watchdog.standardOutput = FileHandle.nullDevice
        watchdog.standardError = FileHandle.nullDevice
        try watchdog.run()
        return watchdog
    }

    private static func tail(of log: URL) -> String {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return String(text.suffix(2000))
    }
}

/// A test cluster that could not be started or used.
public struct PostgresTestClusterError: Error, CustomStringConvertible, Sendable {
    /// What went wrong.
    public let description: String

    init(_ description: String) { self.description = description }
}
