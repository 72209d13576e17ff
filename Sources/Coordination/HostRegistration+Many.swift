import Logging
import ZooKeeperClient
import ZooKeeperProtocol
import ZooKeeperRecipes

extension HostRegistration {
    /// How many registrations one process makes at once (the client pipelines them over its one connection).
    static let concurrentRegistrations = 32

    /// Connects one session for many hosts (a process simulating them) and registers each host through it, as
    /// ``connect(connectString:rootPath:sessionTimeout:credentials:tls:host:logger:)`` does for one: each
    /// registration comes back after a session expiry, and a restarted process waits out its dead session's nodes.
    /// - Parameters:
    ///   - connectString: the ZooKeeper connect string.
    ///   - rootPath: the root (default `/zoostack`).
    ///   - sessionTimeout: the session timeout; the hosts are seen gone this long after the process dies.
    ///   - credentials: the cluster's credentials (nil: open nodes, for tests).
    ///   - tls: TLS to the ensemble's secure client port (nil: plain TCP).
    ///   - hosts: the hosts (distinct ids).
    ///   - logger: where a wait for the previous session is logged.
    /// - Returns: the registrations, in the order of `hosts`; ``leave()`` ends each, then the caller closes their
    ///   shared ``client``.
    /// - Throws: as the one-host `connect`; on any failure the hosts registered so far leave and the session closes.
    public static func connect(
        connectString: String,
        rootPath: String = "/zoostack",
        sessionTimeout: Duration = .seconds(10),
        credentials: ClusterCredentials?,
        tls: ZooKeeperClientTLS? = nil,
        hosts: [HostInfo],
        logger: Logger = Logger(label: "zoostack.agent")
    ) async throws -> [HostRegistration] {
        let configuration = try ZooKeeperClientConfiguration.zooStack(
            connectString: connectString,
            sessionTimeout: sessionTimeout,
            credentials: credentials,
            tls: tls
        )
        let client = try await ZooKeeperClient.connect(configuration: configuration)
        let layout = ZNodeLayout(root: rootPath)
        var registered: [Int: HostRegistration] = [:]
        do {
            let takeover = try await GroupMember.Takeover.waitingOut(client: client, logger: logger)
            try await self.ensureBuckets(client: client, layout: layout, hostIds: hosts.map(\.id))
            for start in stride(from: 0, to: hosts.count, by: Self.concurrentRegistrations) {
                let end = min(start + Self.concurrentRegistrations, hosts.count)
                try await withThrowingTaskGroup(of: (Int, HostRegistration).self) { group in
                    for index in start..<end {
                        group.addTask {
                            let registration = try await self.register(
                                client: client,
                                layout: layout,
                                host: hosts[index],
                                takeover: takeover,
                                bucketExists: true
                            )
                            return (index, registration)
                        }
                    }
                    for try await (index, registration) in group { registered[index] = registration }
                }
            }
        } catch {
            for registration in registered.values { await registration.leave() }
            await client.close()
            if let keeperError = error as? KeeperError, keeperError.code == .noAuth {
                throw CoordinationError(
                    .accessDenied,
                    "ZooKeeper refused the registration of \(hosts.count) hosts under \(rootPath) (NoAuth): the "
                        + "agent must be given the cluster credentials of its management servers"
                )
            }
            throw error
        }
        return hosts.indices.compactMap { registered[$0] }
    }

    /// Creates `/hosts` and the buckets of `hostIds` once (each a persistent node, kept when it exists), so that each
    /// registration is a single create instead of one per level of its path.
    /// - Parameters:
    ///   - client: the client.
    ///   - layout: the layout.
    ///   - hostIds: the hosts about to register.
    /// - Throws: `KeeperError`.
    public static func ensureBuckets(client: ZooKeeperClient, layout: ZNodeLayout, hostIds: [String]) async throws {
        var paths = [String]()
        var current = ""
        for component in layout.hosts.split(separator: "/") {
            current += "/" + component
            paths.append(current)
        }
        paths += Set(hostIds.map { layout.hostBucket(of: $0) }).sorted()
        for path in paths {
            do {
                try await client.create(path)
            } catch let error as KeeperError where error.code == .nodeExists {
                continue
            }
        }
    }

    /// Ends registrations that share one session: each host's node is deleted, then the session closes.
    /// - Parameter registrations: the registrations (of one client).
    public static func deregister(_ registrations: [HostRegistration]) async {
        for registration in registrations { await registration.leave() }
        await registrations.first?.client.close()
    }
}
