import Logging
import ZooKeeperClient
import ZooKeeperProtocol
import ZooKeeperRecipes

/// An agent's registration of its host: the ephemeral `/hosts/BUCKET/HOSTID` node (``ZNodeLayout/hostPath(_:)``)
/// with the host's JSON, there while the agent's session lives and made again after a session expiry. Many
/// registrations may share one session (``connect(connectString:rootPath:sessionTimeout:credentials:tls:hosts:logger:)``).
public actor HostRegistration {
    /// The client (the agent's session).
    public nonisolated let client: ZooKeeperClient
    /// The node layout.
    public nonisolated let layout: ZNodeLayout
    /// The host as registered.
    public private(set) var host: HostInfo

    private let member: GroupMember

    private init(
        client: ZooKeeperClient,
        layout: ZNodeLayout,
        host: HostInfo,
        takeover: GroupMember.Takeover,
        bucketExists: Bool
    ) throws {
        self.client = client
        self.layout = layout
        self.host = host
        self.member = GroupMember(
            client: client,
            groupPath: layout.hostBucket(of: host.id),
            memberId: host.id,
            data: try NodeJSON.encode(host),
            takeover: takeover,
            groupExists: bucketExists
        )
    }

    /// Registers a host through an existing client. For the registration to come back after a session expiry,
    /// the client must be configured with `reconnectWithNewSessionOnExpiry` (``connect(connectString:rootPath:sessionTimeout:credentials:host:logger:)``
    /// does that).
    /// - Parameters:
    ///   - client: the agent's client.
    ///   - layout: the layout.
    ///   - host: the host.
    ///   - takeover: how to take the host's node back from the agent's previous incarnation (default: never).
    ///   - bucketExists: the caller made the host's bucket node (``ensureBuckets(client:layout:hostIds:)``), so
    ///     the registration is one create.
    /// - Returns: the registration.
    /// - Throws: `CoordinationError` `.invalidName`; `RecipeError` `.memberIdTaken` when another live agent holds
    ///   the id; `KeeperError`.
    public static func register(
        client: ZooKeeperClient,
        layout: ZNodeLayout,
        host: HostInfo,
        takeover: GroupMember.Takeover = GroupMember.Takeover(),
        bucketExists: Bool = false
    ) async throws
        -> HostRegistration
    {
        guard host.id.isValidNodeName else {
            throw CoordinationError(.invalidName, "invalid host id \"\(host.id)\"")
        }
        let registration = try HostRegistration(
            client: client,
            layout: layout,
            host: host,
            takeover: takeover,
            bucketExists: bucketExists
        )
        try await registration.member.join()
        return registration
    }

    /// Connects a new session for an agent and registers its host. An agent restarted after a crash finds its
    /// host's node still held by its dead session: it waits for that session to expire (up to
    /// `GroupMember.Takeover.expiryWait(timeout:)`, logging that it waits) before `memberIdTaken`.
    /// - Parameters:
    ///   - connectString: the ZooKeeper connect string.
    ///   - rootPath: the root (default `/zoostack`).
    ///   - sessionTimeout: the session timeout; the host is seen gone this long after the agent dies.
    ///   - credentials: the cluster's credentials: the session authenticates with them and the host's node gets
    ///     their ACL (nil: open to anyone, for tests).
    ///   - tls: TLS to the ensemble's secure client port (nil: plain TCP).
    ///   - host: the host.
    ///   - logger: where a wait for the previous session is logged.
    /// - Returns: the registration (``deregister()`` ends it and closes the session).
    /// - Throws: as ``register(client:layout:host:takeover:)``; `CoordinationError` `.accessDenied` when ZooKeeper
    ///   refuses the credentials.
    public static func connect(
        connectString: String,
        rootPath: String = "/zoostack",
        sessionTimeout: Duration = .seconds(10),
        credentials: ClusterCredentials?,
        tls: ZooKeeperClientTLS? = nil,
        host: HostInfo,
        logger: Logger = Logger(label: "zoostack.agent")
    ) async throws -> HostRegistration {
        let configuration = try ZooKeeperClientConfiguration.zooStack(
            connectString: connectString,
            sessionTimeout: sessionTimeout,
            credentials: credentials,
            tls: tls
        )
        let client = try await ZooKeeperClient.connect(configuration: configuration)
        do {
            return try await self.register(
                client: client,
                layout: ZNodeLayout(root: rootPath),
                host: host,
                takeover: try await GroupMember.Takeover.waitingOut(client: client, logger: logger)
            )
        } catch let error as KeeperError where error.code == .noAuth {
            await client.close()
            throw CoordinationError(
                .accessDenied,
                "ZooKeeper refused the registration of host \(host.id) under \(rootPath) (NoAuth): the agent must be "
                    + "given the cluster credentials of its management servers"
            )
        } catch {
            await client.close()
            throw error
        }
    }

    /// Replaces the registered data (e.g. new capacity).
    /// - Parameter host: the host (same id).
    /// - Throws: `KeeperError`.
    public func update(_ host: HostInfo) async throws {
        var host = host
        host.id = self.host.id
        try await self.member.update(data: try NodeJSON.encode(host))
        self.host = host
    }

    /// Deletes the host's node and closes the client.
    public func deregister() async {
        await self.leave()
        await self.client.close()
    }

    /// Deletes the host's node and leaves the client open (for registrations sharing one session).
    public func leave() async {
        try? await self.member.leave()
    }
}
