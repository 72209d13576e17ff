import Logging
import Synchronization
import ZooKeeperClient
import ZooKeeperProtocol
import ZooKeeperRecipes

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One management server's part in the cluster: it owns one ZooKeeper session and, through it, membership,
/// leadership with fencing, live configuration, host ownership and the coordination state.
///
/// ```swift
/// let coordinator = try await Coordinator.start(configuration: configuration)
/// for await change in coordinator.leadershipChanges() { ... }
/// try coordinator.requireCoordination()   // before a command that needs ZooKeeper (530 when it throws)
/// await coordinator.stop()
/// ```
///
/// The session survives connection loss; when it expires the client makes a new one and the coordinator
/// registers again, so an outage of ZooKeeper ends by itself.
public actor Coordinator {
    /// The configuration.
    public nonisolated let configuration: CoordinationConfiguration
    /// The ZooKeeper client (its session is this management server's).
    public nonisolated let client: ZooKeeperClient
    /// The node layout.
    public nonisolated let layout: ZNodeLayout
    /// This management server as registered.
    public nonisolated let info: ManagementServerInfo
    /// Where this server records its session, when configured (``CoordinationConfiguration/sessionRecordDirectory``).
    nonisolated let sessionRecord: SessionRecord?

    let logger: Logger
    let stateBroadcast = Broadcaster<CoordinationState>(replaysLast: true)
    let leadershipBroadcast = Broadcaster<Leadership>(replaysLast: true)
    let liveState = Mutex<(state: CoordinationState, leadership: Leadership)>((.connected, .follower))
    let configuration_ = LiveConfiguration()
    let ownersBroadcast = Broadcaster<[String: String]>(replaysLast: true)
    let membersBroadcast = Broadcaster<[ManagementServerInfo]>(replaysLast: true)
    let hostsBroadcast = Broadcaster<[String: HostInfo]>(replaysLast: true)
    /// Asks the status publisher to write this server's membership node again (``publishedInfo`` changed).
    let statusUpdates = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))

    var member: GroupMember?
    var election: LeaderElection?
    var electedToken: FencingToken?
    var tasks: [Task<Void, Never>] = []
    var leaderTask: Task<Void, Never>?
    var stopped = false

    init(configuration: CoordinationConfiguration, client: ZooKeeperClient, logger: Logger) {
        self.configuration = configuration
        self.client = client
        self.layout = ZNodeLayout(root: configuration.rootPath)
        self.sessionRecord = configuration.sessionRecordDirectory.map { SessionRecord.coordinator(directory: $0) }
        self.logger = logger
        self.info = ManagementServerInfo(
            id: configuration.serverId,
            address: configuration.address,
            version: configuration.version,
            started: Date()
        )
        self.stateBroadcast.send(.connected)
        self.leadershipBroadcast.send(.follower)
    }

    /// Connects to ZooKeeper, creates the layout (idempotently), registers this management server, joins the
    /// leader election and starts following live configuration.
    /// - Parameters:
    ///   - configuration: the configuration.
    ///   - logger: where coordination events are logged.
    /// - Returns: a running coordinator.
    /// - Throws: `CoordinationError` `.invalidName` for a bad server id, `.accessDenied` when ZooKeeper refuses its
    ///   credentials on ZooStack's nodes; `KeeperError` when ZooKeeper cannot be reached; `RecipeError`
    ///   `.memberIdTaken` when another live server has the same id.
    public static func start(
        configuration: CoordinationConfiguration,
        logger: Logger = Logger(label: "zoostack.coordination")
    ) async throws -> Coordinator {
        guard configuration.serverId.isValidNodeName else {
            throw CoordinationError(.invalidName, "invalid management server id \"\(configuration.serverId)\"")
        }
        let zk = try ZooKeeperClientConfiguration.zooStack(
            connectString: configuration.connectString,
            sessionTimeout: configuration.sessionTimeout,
            credentials: configuration.credentials,
            tls: configuration.tls
        )
        let client = try await ZooKeeperClient.connect(configuration: zk, logger: logger)
        let coordinator = Coordinator(configuration: configuration, client: client, logger: logger)
        do {
            try await coordinator.begin()
        } catch {
            await coordinator.stop()
            throw coordinator.explainingNoAuth(error)
        }
        return coordinator
    }

    /// Leaves the cluster: drops leadership, deletes this server's nodes and closes the session. Idempotent.
    public func stop() async {
        guard !self.stopped else { return }
        self.stopped = true
        self.leaderTask?.cancel()
        self.leaderTask = nil
        self.setState(.stopped)
        await self.election?.close()
        try? await self.member?.leave()
        for task in self.tasks { task.cancel() }
        self.tasks = []
        await self.client.close()
        self.sessionRecord?.release()
        self.statusUpdates.continuation.finish()
        self.stateBroadcast.finish()
        self.leadershipBroadcast.finish()
        self.configuration_.finish()
        self.ownersBroadcast.finish()
        self.membersBroadcast.finish()
        self.hostsBroadcast.finish()
    }

    // MARK: state

    /// The coordination state now.
    public nonisolated var state: CoordinationState { self.liveState.withLock { $0.state } }

    /// The coordination state: the current one first, then every change.
    /// - Returns: the states; the stream ends when the coordinator stops.
    public nonisolated func stateChanges() -> AsyncStream<CoordinationState> {
        self.stateBroadcast.stream()
    }

    /// Throws unless this management server has a live ZooKeeper session: call it before any command that needs
    /// coordination, and map the error to CloudStack's 530 with its reason.
    /// - Throws: `CoordinationError` `.unavailable` (or `.stopped`) with the reason.
    public nonisolated func requireCoordination() throws(CoordinationError) {
        let state = self.state
        switch state {
        case .connected: return
        case .stopped: throw CoordinationError(.stopped, state.reason)
        case .suspended, .lost:
            throw CoordinationError(.unavailable, "ZooKeeper is unavailable: \(state.reason)")
        }
    }

    // MARK: internals

    func begin() async throws {
        let states = self.client.connectionStates()
        self.tasks.append(
            Task { [weak self] in
                for await state in states {
                    await self?.connectionChanged(state)
                }
            }
        )
        self.setState(.connected)
        try await self.createLayout()
        try await self.secureOpenNodes()
        let member = GroupMember(
            client: self.client,
            groupPath: self.layout.managementServers,
            memberId: self.configuration.serverId,
            data: try NodeJSON.encode(self.info),
            takeover: try await self.membershipTakeover()
        )
        try await member.join()
        await self.membershipTakenOver()
        self.member = member
        self.tasks.append(self.startStatusPublisher())
        self.startFeeds()
        let election = LeaderElection(
            client: self.client,
            path: self.layout.leader,
            participantId: self.configuration.serverId,
            epochPath: self.layout.epoch
        )
        self.election = election
        let changes = election.leadershipChanges()
        self.tasks.append(
            Task { [weak self] in
                for await change in changes {
                    await self?.electionChanged(change)
                }
            }
        )
        try await election.start()
    }

    /// One watch per followed node, shared by every consumer (a persistent watch cannot be removed for one
    /// consumer alone, so consumers never add their own).
    private func startFeeds() {
        let client = self.client
        let layout = self.layout
        let configuration = self.configuration_
        let owners = self.ownersBroadcast
        let members = self.membersBroadcast
        let hosts = self.hostsBroadcast
        let status = self.statusUpdates.continuation
        self.tasks.append(
            Task {
                for await snapshot in ChildrenFeed.snapshots(client, layout.config) {
                    configuration.apply(snapshot.nodes, version: snapshot.version)
                    status.yield()
                }
            }
        )
        self.tasks.append(
            Task {
                for await nodes in BucketedFeed.snapshots(client, layout.hostOwners) {
                    owners.send(nodes.mapValues { String(decoding: $0.data, as: UTF8.self) })
                }
            }
        )
        self.tasks.append(
            Task {
                for await snapshot in ChildrenFeed.snapshots(client, layout.managementServers) {
                    members.send(Self.decodeMembers(snapshot.nodes))
                }
            }
        )
        self.tasks.append(
            Task {
                var decoder = HostDirectory.Decoder()
                for await nodes in BucketedFeed.snapshots(client, layout.hosts) {
                    hosts.send(decoder.decode(nodes))
                }
            }
        )
    }

    /// Creates the root, its persistent children and the epoch node when missing (with the client's default ACL:
    /// the cluster's, when it has credentials).
    func createLayout() async throws {
        var current = ""
        for component in self.layout.root.split(separator: "/") {
            current += "/" + component
            try await self.createIfMissing(current, data: [])
        }
        for path in self.layout.persistentNodes {
            try await self.createIfMissing(path, data: [])
        }
        try await self.createIfMissing(self.layout.epoch, data: Array("0".utf8))
    }

    private func createIfMissing(_ path: String, data: [UInt8]) async throws {
        do {
            try await self.client.create(path, data: data)
        } catch let error as KeeperError where error.code == .nodeExists {
            return
        }
    }

    private func connectionChanged(_ state: ConnectionState) async {
        guard !self.stopped else { return }
        switch state {
        case .connected, .reconnected:
            self.setState(.connected)
            if state == .connected {
                // A new session after expiry: the layout may have been wiped meanwhile.
                try? await self.createLayout()
            }
        case .suspended:
            // Whatever the election said before, it no longer holds: a new leadership needs a new token.
            self.electedToken = nil
            self.setState(.suspended)
        case .expired:
            self.electedToken = nil
            self.setState(.lost)
        case .closed, .authFailed: self.setState(.stopped)
        }
    }

    func setState(_ state: CoordinationState) {
        let changed = self.liveState.withLock { live -> Bool in
            guard live.state != state, live.state != .stopped else { return false }
            live.state = state
            return true
        }
        guard changed else { return }
        self.logger.info("coordination state \(state)")
        self.stateBroadcast.send(state)
        self.updateLeadership()
    }
}
