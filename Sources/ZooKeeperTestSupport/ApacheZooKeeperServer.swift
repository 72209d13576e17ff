import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One Apache ZooKeeper JVM under test: a standalone server, or a member of an ``ApacheZooKeeperEnsemble``.
///
/// The JVM is launched directly with Foundation's `Process` (not through `zkServer.sh`), so this object owns
/// its pid. A small watchdog shell process SIGKILLs the JVM if the test process dies without shutting it
/// down, and `deinit` shuts it down too, so no `java` process outlives the tests.
///
/// ```swift
/// let server = try await ApacheZooKeeperServer.start(options: .init(tickTime: .milliseconds(200)))
/// defer { server.shutdown() }
/// let client = try await ZooKeeperClient.connect(to: server.connectString)
/// ```
public final class ApacheZooKeeperServer: Sendable {
    private struct State {
        var process: Process?
        var watchdog: Process?
        var isShutDown = false
    }

    /// The address the client port listens on: always `127.0.0.1`.
    public let host = "127.0.0.1"
    /// The client port, chosen free at start and kept across restarts.
    public let port: Int
    /// `myid` for a member of an ensemble; `nil` for a standalone server.
    public let serverID: Int?
    let configuration: ApacheZooKeeperLaunchConfiguration
    private let ownsDirectory: Bool
    private let state = Mutex(State())

    /// `127.0.0.1:<port>`, the connect string for this one server.
    public var connectString: String {
        "\(host):\(port)"
    }

    /// ZooKeeper's `dataDir`: snapshots and txn logs under `version-2/`, and `myid` in an ensemble.
    public var dataDir: URL {
        configuration.dataDirectory
    }

    /// The server's own temporary directory, holding `conf/`, `data/` and `log/`.
    public var directory: URL {
        configuration.directory
    }

    /// The server's log4j (or logback) log file.
    public var logFile: URL {
        configuration.logFile
    }

    /// The JVM's pid while it runs, `nil` when stopped.
    public var processIdentifier: Int32? {
        state.withLock { state in
            guard let process = state.process, process.isRunning else { return nil }
            return process.processIdentifier
        }
    }

    /// Whether the JVM is running (it may not be serving yet).
    public var isRunning: Bool {
        processIdentifier != nil
    }

    init(configuration: ApacheZooKeeperLaunchConfiguration, ownsDirectory: Bool) {
        self.configuration = configuration
        self.port = configuration.clientPort
        self.serverID = configuration.serverID
        self.ownsDirectory = ownsDirectory
    }

    deinit {
        shutdown()
    }

    /// Starts one standalone server (`ZooKeeperServerMain`) in a fresh temporary directory on a free
    /// loopback port, and waits until it answers `ruok` with `imok` and `srvr` with `Mode: standalone`.
    ///
    /// - Parameter options: How to configure the server.
    /// - Returns: The running server. Call ``stop()`` or ``shutdown()`` when done, or use
    ///   ``withApacheZooKeeper(options:isolation:_:)``.
    /// - Throws: ``ApacheZooKeeperError`` if Java or ZooKeeper is missing (`installationNotFound`), the JVM
    ///   exits (`startupFailed`) or does not serve within ``ApacheZooKeeperOptions/startupTimeout``
    ///   (`startupTimedOut`). The error carries the tail of the server's log.
    public static func start(options: ApacheZooKeeperOptions = .init()) async throws -> ApacheZooKeeperServer {
        let installation = try options.installation ?? ApacheZooKeeperInstallation.locate()
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("zoostack-zk-\(UUID().uuidString)")
        // Removed at stop; a server shared by the whole test process is never stopped, so also at exit.
        TemporaryPaths.removeAtExit(directory.path)
        let configuration = ApacheZooKeeperLaunchConfiguration(
            installation: installation,
            options: options,
            directory: directory,
            clientPort: try FreePort.allocate(),
            serverID: nil,
            peers: []
        )
        let server = ApacheZooKeeperServer(configuration: configuration, ownsDirectory: true)
        do {
            try configuration.writeFiles()
            try server.launch()
            try await server.waitUntilServing()
        } catch {
            server.shutdown()
            throw error
        }
        return server
    }

    /// Sends a four-letter word and returns the server's answer.
    ///
    /// - Parameter word: `ruok`, `srvr`, `stat`, `mntr`, `envi`, `isro`, `conf`, `cons`, `dump`, `wchs`, ...
    ///   Every word is whitelisted.
    /// - Returns: The text the server wrote before closing the connection (`imok` for `ruok`, without newline).
    /// - Throws: ``ApacheZooKeeperError`` with code `fourLetterWordFailed` if the connection fails or stalls
    ///   for 5 seconds.
    public func fourLetterWord(_ word: String) async throws -> String {
        try await FourLetterWordClient.send(word, port: port, timeout: .seconds(5))
    }

    /// The server's current role, from `ruok` and `srvr`.
    ///
    /// - Returns: The mode, or `nil` if the server is stopped, unreachable or not serving (for example a member
    ///   that has lost its quorum).
    public func mode() async -> Mode? {
        guard (try? await fourLetterWord("ruok")) == "imok",
            let srvr = try? await fourLetterWord("srvr")
        else {
            return nil
        }
        return Mode(srvrOutput: srvr)
    }

    /// Stops the server gracefully: SIGTERM, then SIGKILL if it has not exited after
    /// ``ApacheZooKeeperOptions/stopTimeout``. Its port and data are kept for ``restart()``.
    ///
    /// Does nothing if the server is not running.
    public func stop() async {
        await terminate(signal: SIGTERM, grace: configuration.options.stopTimeout)
    }

    /// Kills the server with SIGKILL, as a crash would, and waits until it has exited. Its port and data are
    /// kept for ``restart()``.
    ///
    /// Does nothing if the server is not running.
    public func kill() async {
        await terminate(signal: SIGKILL, grace: .seconds(30))
    }

    /// Stops the server if it runs, then starts it again on the same port with the same data, and waits until
    /// it serves.
    ///
    /// A member of an ensemble serves only once it has a quorum, so restart enough members.
    ///
    /// - Throws: ``ApacheZooKeeperError`` as ``start(options:)`` does, or with code `shutDown` after
    ///   ``shutdown()``.
    public func restart() async throws {
        await stop()
        try launch()
        try await waitUntilServing()
    }

    /// Kills the server at once (SIGKILL) and deletes its temporary directory (unless
    /// ``ApacheZooKeeperOptions/removesFilesOnShutdown`` is false). Idempotent; `deinit` calls it.
    ///
    /// After this, ``restart()`` throws.
    public func shutdown() {
        let (process, watchdog) = state.withLock { state in
            state.isShutDown = true
            defer {
                state.process = nil
                state.watchdog = nil
            }
            return (state.process, state.watchdog)
        }
        // The watchdog goes first, so it can never signal a pid the system has reused.
        if let watchdog {
            Self.send(SIGKILL, to: watchdog)
        }
        if let process {
            Self.send(SIGKILL, to: process)
            Self.waitSynchronously(for: process, timeout: .seconds(30))
        }
        if ownsDirectory, configuration.options.removesFilesOnShutdown {
            try? FileManager.default.removeItem(at: configuration.directory)
        }
    }

    // MARK: - Internals shared with the ensemble

    /// Launches the JVM if it is not running. Does not wait for it to serve.
    func launch() throws {
        try state.withLock { state in
            guard !state.isShutDown else {
                throw ApacheZooKeeperError(code: .shutDown, message: "server \(connectString) was shut down")
            }
            if let process = state.process, process.isRunning {
                return
            }
            let process = try makeProcess()
            state.process = process
            state.watchdog = try? Self.launchWatchdog(for: process.processIdentifier)
        }
    }

    /// Waits until the server answers `ruok` and reports a mode in `srvr`.
    ///
    /// - Parameter timeout: How long to wait; ``ApacheZooKeeperOptions/startupTimeout`` by default.
    /// - Returns: The mode the server reported.
    @discardableResult
    func waitUntilServing(timeout: Duration? = nil) async throws -> Mode {
        let clock = ContinuousClock()
        let timeout = timeout ?? configuration.options.startupTimeout
        let deadline = clock.now.advanced(by: timeout)
        while true {
            guard let process = state.withLock({ $0.process }) else {
                throw ApacheZooKeeperError(
                    code: .startupFailed,
                    message: "server \(connectString) is not running (stopped or shut down)"
                )
            }
            guard process.isRunning else {
                throw ApacheZooKeeperError(
                    code: .startupFailed,
                    message: """
                        java (\(configuration.mainClass), port \(port)) exited with status \
                        \(process.terminationStatus) before serving
                        """,
                    serverLogTail: configuration.logTail()
                )
            }
            if let mode = await mode() {
                return mode
            }
            guard clock.now < deadline else {
                throw ApacheZooKeeperError(
                    code: .startupTimedOut,
                    message: "server \(connectString) did not answer ruok/srvr as serving within \(timeout)",
                    serverLogTail: configuration.logTail()
                )
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    // MARK: - Processes

    private func makeProcess() throws -> Process {
        let installation = configuration.installation
        let process = Process()
        process.executableURL = URL(fileURLWithPath: installation.javaExecutable)
        process.arguments = configuration.arguments
        process.currentDirectoryURL = configuration.directory
        process.standardInput = FileHandle.nullDevice
        let consolePath = configuration.consoleFile.path
        if !FileManager.default.fileExists(atPath: consolePath) {
            _ = FileManager.default.createFile(atPath: consolePath, contents: nil)
        }
        let console = try FileHandle(forWritingTo: configuration.consoleFile)
        defer { try? console.close() }
        _ = try console.seekToEnd()
        process.standardOutput = console
        process.standardError = console
        do {
            try process.run()
        } catch {
            throw ApacheZooKeeperError(
                code: .startupFailed,
                message: "could not launch \(installation.javaExecutable): \(error)"
            )
        }
        return process
    }

    /// A shell that SIGKILLs the JVM once the JVM's parent is no longer this process, that is, once the test
    /// process has died (its children are re-parented when it exits, even before it is reaped).
    private static func launchWatchdog(for pid: Int32) throws -> Process {
        let script = """
            while kill -0 "$2" 2>/dev/null; do
              if [ -r "/proc/$2/stat" ]; then
                read -r _ _ _ ppid _ < "/proc/$2/stat" || exit 0
                if [ "$ppid" != "$1" ]; then kill -9 "$2" 2>/dev/null; exit 0; fi
              elif ! kill -0 "$1" 2>/dev/null; then
                kill -9 "$2" 2>/dev/null; exit 0
              fi
              sleep 1
            done
            """
        let watchdog = Process()
        watchdog.executableURL = URL(fileURLWithPath: "/bin/sh")
        watchdog.arguments = ["-c", script, "zoostack-zk-watchdog", String(getpid()), String(pid)]
        watchdog.standardInput = FileHandle.nullDevice
        watchdog.standardOutput = FileHandle.nullDevice
        watchdog.standardError = FileHandle.nullDevice
        try watchdog.run()
        return watchdog
    }

    private func terminate(signal: Int32, grace: Duration) async {
        let (process, watchdog) = state.withLock { state in
            defer {
                state.process = nil
                state.watchdog = nil
            }
            return (state.process, state.watchdog)
        }
        if let watchdog {
            Self.send(SIGKILL, to: watchdog)
        }
        guard let process else { return }
        Self.send(signal, to: process)
        if await !Self.waitForExit(of: process, timeout: grace) {
            Self.send(SIGKILL, to: process)
            _ = await Self.waitForExit(of: process, timeout: .seconds(30))
        }
    }

    private static func send(_ signal: Int32, to process: Process) {
        guard process.isRunning else { return }
        #if canImport(Glibc)
        _ = Glibc.kill(process.processIdentifier, signal)
        #elseif canImport(Darwin)
        _ = Darwin.kill(process.processIdentifier, signal)
        #endif
    }

    private static func waitForExit(of process: Process, timeout: Duration) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while process.isRunning {
            guard clock.now < deadline else { return false }
            do {
                try await Task.sleep(for: .milliseconds(20))
            } catch {
                // Cancelled: still make sure the process is gone before returning.
                return waitSynchronously(for: process, timeout: deadline - clock.now)
            }
        }
        return true
    }

    @discardableResult
    private static func waitSynchronously(for process: Process, timeout: Duration) -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while process.isRunning {
            guard clock.now < deadline else { return false }
            usleep(10_000)
        }
        return true
    }
}
