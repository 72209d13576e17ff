import Foundation
import Synchronization
import ZooKeeperServer

/// A ZooKeeper server a suite runs against: Apache ZooKeeper 3.8 (the oracle) or ZooStack's embedded server.
///
/// Parameterize a test with ``all(_:)`` to run it against both, so that their results can be compared. Each
/// (kind, settings) pair is started once per test process and shared by every test that asks for it; tests keep
/// apart by working under a root znode of their own.
///
/// ```swift
/// static let targets = ZooKeeperTarget.all(ZooKeeperTargetSettings(extendedTypesEnabled: true))
///
/// @Test(arguments: targets)
/// func createsNodes(target: ZooKeeperTarget) async throws {
///     let client = try await ZooKeeperClient.connect(connectString: try await target.connectString())
/// }
/// ```
public struct ZooKeeperTarget: Sendable, Hashable, CustomStringConvertible {
    /// Which server.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Apache ZooKeeper 3.8 standalone (``ApacheZooKeeperServer``).
        case apache
        /// ZooStack's embedded server (`ZooKeeperServer`), in this process.
        case embedded
    }

    /// Which server.
    public let kind: Kind
    /// How it is configured.
    public let settings: ZooKeeperTargetSettings

    /// Creates a target.
    ///
    /// - Parameters:
    ///   - kind: Which server.
    ///   - settings: How it is configured.
    public init(kind: Kind, settings: ZooKeeperTargetSettings = .init()) {
        self.kind = kind
        self.settings = settings
    }

    /// Apache ZooKeeper 3.8 standalone with `settings`.
    public static func apache(_ settings: ZooKeeperTargetSettings = .init()) -> ZooKeeperTarget {
        ZooKeeperTarget(kind: .apache, settings: settings)
    }

    /// ZooStack's embedded server with `settings`.
    public static func embedded(_ settings: ZooKeeperTargetSettings = .init()) -> ZooKeeperTarget {
        ZooKeeperTarget(kind: .embedded, settings: settings)
    }

    /// Both servers with the same settings, Apache ZooKeeper first.
    public static func all(_ settings: ZooKeeperTargetSettings = .init()) -> [ZooKeeperTarget] {
        Kind.allCases.map { ZooKeeperTarget(kind: $0, settings: settings) }
    }

    /// The server's name, as test results show it.
    public var name: String {
        switch self.kind {
        case .apache: "Apache ZooKeeper"
        case .embedded: "ZooStack embedded server"
        }
    }

    public var description: String { self.name }

    /// The connect string (`127.0.0.1:<port>`) of this target's server, started on first use and kept running
    /// until the test process exits.
    ///
    /// - Returns: The connect string.
    /// - Throws: What ``ApacheZooKeeperServer/start(options:)`` or `ZooKeeperServer.start()` throws; every
    ///   later call for the same target throws it again.
    public func connectString() async throws -> String {
        try await SharedTargets.connectString(of: self)
    }
}

/// How a ``ZooKeeperTarget``'s server is configured; both kinds get the same settings.
///
/// Every server listens on `127.0.0.1` without a limit on connections per client address, and keeps its data
/// in a temporary directory.
public struct ZooKeeperTargetSettings: Sendable, Hashable {
    /// `tickTime`; sessions may last from 2 to 20 ticks. 500 ms by default (sessions of 1 s to 10 s).
    public var tickTime: Duration
    /// `user:base64(sha1(user:password))` of the super user, or `nil`.
    public var superDigest: String?
    /// Whether TTL nodes are allowed.
    public var extendedTypesEnabled: Bool
    /// How often empty containers and expired TTL nodes are deleted.
    public var containerCheckInterval: Duration
    /// Whether the txn log is fsynced before a write is acknowledged.
    public var forceSync: Bool

    /// Creates settings.
    ///
    /// - Parameters:
    ///   - tickTime: `tickTime`.
    ///   - superDigest: The super user's digest, or `nil`.
    ///   - extendedTypesEnabled: Whether TTL nodes are allowed.
    ///   - containerCheckInterval: The container and TTL sweep interval.
    ///   - forceSync: Whether writes are fsynced before they are acknowledged.
    public init(
        tickTime: Duration = .milliseconds(500),
        superDigest: String? = nil,
        extendedTypesEnabled: Bool = false,
        containerCheckInterval: Duration = .seconds(1),
        forceSync: Bool = true
    ) {
        self.tickTime = tickTime
        self.superDigest = superDigest
        self.extendedTypesEnabled = extendedTypesEnabled
        self.containerCheckInterval = containerCheckInterval
        self.forceSync = forceSync
    }

    /// The options of an Apache ZooKeeper server with these settings.
    public var apacheOptions: ApacheZooKeeperOptions {
        ApacheZooKeeperOptions(
            tickTime: self.tickTime,
            extendedTypesEnabled: self.extendedTypesEnabled,
            containerCheckInterval: self.containerCheckInterval,
            maxClientConnections: 0,
            superDigest: self.superDigest,
            forceSync: self.forceSync
        )
    }

    /// The configuration of an embedded server with these settings.
    ///
    /// - Parameters:
    ///   - port: The port; 0 for a free one.
    ///   - dataDir: The data directory.
    /// - Returns: The configuration.
    public func embeddedConfiguration(port: Int = 0, dataDir: String) -> ZooKeeperServerConfiguration {
        ZooKeeperServerConfiguration(
            port: port,
            dataDir: dataDir,
            tickTime: Self.milliseconds(self.tickTime),
            maxClientCnxns: 0,
            superDigest: self.superDigest,
            extendedTypesEnabled: self.extendedTypesEnabled,
            containerCheckInterval: Self.milliseconds(self.containerCheckInterval),
            forceSync: self.forceSync
        )
    }

    /// Starts an embedded server with these settings, one the caller owns and stops (for a test that stops or
    /// restarts its server; shared servers come from ``ZooKeeperTarget/connectString()``).
    ///
    /// - Parameters:
    ///   - port: The port; 0 for a free one.
    ///   - dataDir: The data directory; a fresh temporary one if `nil`.
    /// - Returns: The running server.
    /// - Throws: What `ZooKeeperServer.start()` throws.
    public func startEmbedded(port: Int = 0, dataDir: String? = nil) async throws -> ZooKeeperServer {
        let dataDir =
            dataDir
            ?? TemporaryPaths.make("zoostack-embedded")
        let server = ZooKeeperServer(configuration: self.embeddedConfiguration(port: port, dataDir: dataDir))
        try await server.start()
        return server
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}

/// The servers of the targets in use, one per target, started on first demand and kept for the process.
private enum SharedTargets {
    /// A started server, kept alive by the table.
    private enum Running: Sendable {
        case apache(ApacheZooKeeperServer)
        case embedded(ZooKeeperServer)

        var connectString: String {
            switch self {
            case .apache(let server): server.connectString
            case .embedded(let server): "127.0.0.1:\(server.port)"
            }
        }
    }

    private static let servers = Mutex<[ZooKeeperTarget: Task<Running, any Error>]>([:])

    /// The connect string of `target`'s server; the first caller starts it, later ones wait for the same start.
    static func connectString(of target: ZooKeeperTarget) async throws -> String {
        let running = self.servers.withLock { servers in
            if let running = servers[target] { return running }
            // A process-wide future: the first test to ask starts the server, every later one awaits it.
            let running = Task<Running, any Error> {
                switch target.kind {
                case .apache:
                    return .apache(try await ApacheZooKeeperServer.start(options: target.settings.apacheOptions))
                case .embedded:
                    return .embedded(try await target.settings.startEmbedded())
                }
            }
            servers[target] = running
            return running
        }
        return try await running.value.connectString
    }
}
