import Foundation

/// An Apache ZooKeeper ensemble under test: `size` members (`QuorumPeerMain`) on loopback, each with its own
/// client, quorum and election ports, `myid` and data directory under one temporary directory.
///
/// ```swift
/// let ensemble = try await ApacheZooKeeperEnsemble.start(options: .init(tickTime: .milliseconds(200)))
/// defer { ensemble.shutdown() }
/// let leader = try #require(await ensemble.leader())
/// await ensemble.stop(member: leader)
/// try await ensemble.waitUntilServing()
/// ```
public final class ApacheZooKeeperEnsemble: Sendable {
    /// The members; `servers[i]` has `myid` `i + 1`. Member indexes in this type's methods index this array.
    public let servers: [ApacheZooKeeperServer]
    /// The ensemble's temporary directory, holding one `memberN/` directory per server.
    public let directory: URL
    private let options: ApacheZooKeeperOptions

    /// `127.0.0.1:p1,127.0.0.1:p2,...`, the connect string for the whole ensemble.
    public var connectString: String {
        servers.map(\.connectString).joined(separator: ",")
    }

    private init(servers: [ApacheZooKeeperServer], directory: URL, options: ApacheZooKeeperOptions) {
        self.servers = servers
        self.directory = directory
        self.options = options
    }

    deinit {
        shutdown()
    }

    /// Starts an ensemble and waits until every member reports `Mode: leader` or `Mode: follower`.
    ///
    /// - Parameters:
    ///   - size: The number of voting members; 3 by default.
    ///   - options: How to configure every member. A low ``ApacheZooKeeperOptions/tickTime`` (say 200 ms) makes
    ///     elections quicker.
    /// - Returns: The running ensemble. Call ``shutdown()`` when done, or use
    ///   ``withApacheZooKeeperEnsemble(size:options:isolation:_:)``.
    /// - Throws: ``ApacheZooKeeperError`` as ``ApacheZooKeeperServer/start(options:)`` does, or with code
    ///   `invalidConfiguration` if `size` is less than 1.
    public static func start(
        size: Int = 3,
        options: ApacheZooKeeperOptions = .init()
    ) async throws -> ApacheZooKeeperEnsemble {
        guard size >= 1 else {
            throw ApacheZooKeeperError(code: .invalidConfiguration, message: "ensemble size \(size) is less than 1")
        }
        let installation = try options.installation ?? ApacheZooKeeperInstallation.locate()
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("zoostack-zk-ensemble-\(UUID().uuidString)")
        let ports = try FreePort.allocate(count: 3 * size)
        let peers = (0..<size).map { index in
            ApacheZooKeeperLaunchConfiguration.Peer(
                id: index + 1,
                quorumPort: ports[3 * index + 1],
                electionPort: ports[3 * index + 2]
            )
        }
        let servers = (0..<size).map { index in
            ApacheZooKeeperServer(
                configuration: ApacheZooKeeperLaunchConfiguration(
                    installation: installation,
                    options: options,
                    directory: directory.appendingPathComponent("member\(index + 1)"),
                    clientPort: ports[3 * index],
                    serverID: index + 1,
                    peers: peers
                ),
                ownsDirectory: false
            )
        }
        let ensemble = ApacheZooKeeperEnsemble(servers: servers, directory: directory, options: options)
        do {
            for server in servers {
                try server.configuration.writeFiles()
                try server.launch()
            }
            try await ensemble.waitUntilServing()
        } catch {
            ensemble.shutdown()
            throw error
        }
        return ensemble
    }

    /// Stops one member gracefully (SIGTERM, then SIGKILL after ``ApacheZooKeeperOptions/stopTimeout``).
    ///
    /// - Parameter member: The index in ``servers``.
    public func stop(member: Int) async {
        await servers[member].stop()
    }

    /// Kills one member with SIGKILL, as a crash would.
    ///
    /// - Parameter member: The index in ``servers``.
    public func kill(member: Int) async {
        await servers[member].kill()
    }

    /// Starts a stopped member again (same ports and data) and waits until it reports leader or follower.
    /// Does nothing but wait if the member is already running.
    ///
    /// - Parameter member: The index in ``servers``.
    /// - Throws: ``ApacheZooKeeperError`` if it does not serve within
    ///   ``ApacheZooKeeperOptions/startupTimeout`` (for example because too few members run for a quorum).
    public func start(member: Int) async throws {
        try servers[member].launch()
        try await servers[member].waitUntilServing()
    }

    /// One member's current role, from `srvr`.
    ///
    /// - Parameter member: The index in ``servers``.
    /// - Returns: The mode, or `nil` if the member is stopped or not serving (for example during an election).
    public func mode(of member: Int) async -> ApacheZooKeeperServer.Mode? {
        await servers[member].mode()
    }

    /// The index of the member that reports `Mode: leader`.
    ///
    /// - Returns: The leader's index in ``servers``, or `nil` if no member reports being the leader right now.
    public func leader() async -> Int? {
        for index in servers.indices where await servers[index].mode() == .leader {
            return index
        }
        return nil
    }

    /// Waits until every running member serves as leader or follower and exactly one is the leader, as after
    /// startup or after the leader was stopped and the others elected a new one.
    ///
    /// - Parameter timeout: How long to wait; ``ApacheZooKeeperOptions/startupTimeout`` by default.
    /// - Throws: ``ApacheZooKeeperError`` with code `startupFailed` if a member's JVM exits, or
    ///   `startupTimedOut` with the members' modes and log tails.
    public func waitUntilServing(timeout: Duration? = nil) async throws {
        let clock = ContinuousClock()
        let timeout = timeout ?? options.startupTimeout
        let deadline = clock.now.advanced(by: timeout)
        while true {
            let running = servers.filter(\.isRunning)
            var modes: [ApacheZooKeeperServer.Mode?] = []
            for server in running {
                modes.append(await server.mode())
            }
            let leaders = modes.filter { $0 == .leader }.count
            if !running.isEmpty, leaders == 1, modes.allSatisfy({ $0 == .leader || $0 == .follower }) {
                return
            }
            guard clock.now < deadline else {
                let report = zip(running, modes).map { server, mode in
                    "myid \(server.serverID ?? 0) (\(server.connectString)): \(mode.map(\.rawValue) ?? "not serving")"
                }
                throw ApacheZooKeeperError(
                    code: .startupTimedOut,
                    message: "ensemble not serving within \(timeout): \(report.joined(separator: "; "))",
                    serverLogTail: running.map { $0.configuration.logTail(lines: 15) }.joined(separator: "\n")
                )
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Kills every member at once (SIGKILL) and deletes the ensemble's temporary directory (unless
    /// ``ApacheZooKeeperOptions/removesFilesOnShutdown`` is false). Idempotent; `deinit` calls it.
    public func shutdown() {
        for server in servers {
            server.shutdown()
        }
        if options.removesFilesOnShutdown {
            try? FileManager.default.removeItem(at: directory)
        }
    }
}
