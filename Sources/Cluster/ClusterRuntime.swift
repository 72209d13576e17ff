import CloudCore
import CloudModel
import CloudStore
import Coordination
import Foundation
import Logging
import Orchestrator
import Synchronization
import ZooKeeperClient
import ZooKeeperProtocol

/// One management server of a cluster: the store, the application core (``CloudServices``) and the coordination
/// (``Coordinator``) put together. The API is built over ``core`` by whoever serves it (`zoostack serve`).
///
/// ```swift
/// let runtime = try await ClusterRuntime.prepare(configuration: configuration, logger: logger)  // store, bootstrap
/// // ... bind the API to ManagementServer(core: runtime.core, logger: logger) ...
/// try await runtime.join(address: "10.0.0.5:8080", extensions: [agentAdoption])  // ZooKeeper
/// // ... serve ...
/// await runtime.stop()
/// ```
///
/// Joined, it applies every live configuration change published by any server, follows its leadership (the
/// leader's duties run only while it leads, see ``LeaderDuties``), and records itself in the `mshost` table.
public final class ClusterRuntime: Sendable {
    /// The configuration.
    public let configuration: ClusterConfiguration
    /// The inventory.
    public let store: CloudStore
    /// The application core (the services the API, the leader's duties and the agents use).
    public let core: CloudServices
    /// The admin credentials, when this server bootstrapped the database now (nil on the others).
    public let credentials: AdminCredentials?

    let logger: Logger
    private struct State {
        var coordinator: Coordinator?
        var tasks: [Task<Void, Never>] = []
        var extensions: [any ClusterExtension] = []
        var left = false
        var closed = false
    }
    private let state = Mutex(State())

    private init(
        configuration: ClusterConfiguration,
        store: CloudStore,
        core: CloudServices,
        credentials: AdminCredentials?,
        logger: Logger
    ) {
        self.configuration = configuration
        self.store = store
        self.core = core
        self.credentials = credentials
        self.logger = logger
    }

    /// Opens the database (migrating it), bootstraps it (one server of several starting together seeds it) and
    /// wires the application core; ZooKeeper is not contacted yet (``join(address:extensions:)``).
    /// - Parameters:
    ///   - configuration: the configuration.
    ///   - driver: makes the hypervisor driver VM commands go through, given the opened store (nil: the
    ///     configuration's simulator).
    ///   - logger: a logger.
    /// - Returns: the runtime.
    /// - Throws: ``StoreError``; ``OrchestratorError``.
    public static func prepare(
        configuration: ClusterConfiguration,
        driver: (@Sendable (CloudStore) -> any HypervisorDriver)? = nil,
        logger: Logger
    ) async throws -> ClusterRuntime {
        let store = try await CloudStore.open(configuration.store, logger: logger)
        do {
            let credentials = try await CloudBootstrap.run(
                store: store,
                endpoint: configuration.endpoint,
                logger: logger,
                simulatedHosts: configuration.simulatedHosts,
                serverId: configuration.serverId,
                recover: false,
                secrets: configuration.secrets
            )
            let core = CloudServices(
                store: store,
                simulator: configuration.simulator,
                driver: driver?(store),
                serverId: configuration.serverId,
                secrets: configuration.secrets,
                logger: logger
            )
            return ClusterRuntime(
                configuration: configuration,
                store: store,
                core: core,
                credentials: credentials,
                logger: logger
            )
        } catch {
            await store.close()
            throw error
        }
    }

    /// ``prepare(configuration:driver:logger:)`` then ``join(address:extensions:)``.
    /// - Parameters:
    ///   - configuration: the configuration.
    ///   - address: the address this server serves the API on.
    ///   - driver: makes the hypervisor driver, given the opened store.
    ///   - extensions: work to run while joined.
    ///   - logger: a logger.
    /// - Returns: the joined runtime.
    /// - Throws: as both.
    public static func start(
        configuration: ClusterConfiguration,
        address: String,
        driver: (@Sendable (CloudStore) -> any HypervisorDriver)? = nil,
        extensions: [any ClusterExtension] = [],
        logger: Logger
    ) async throws -> ClusterRuntime {
        let runtime = try await self.prepare(configuration: configuration, driver: driver, logger: logger)
        do {
            try await runtime.join(address: address, extensions: extensions)
        } catch {
            await runtime.stop()
            throw error
        }
        return runtime
    }

    /// The coordinator, once joined.
    public var coordinator: Coordinator? { self.state.withLock { $0.coordinator } }

    /// Joins the cluster: connects to ZooKeeper and registers this server, records it in `mshost`, fails its own
    /// jobs left from an earlier life (everybody's pending jobs when it is the only member), attaches the
    /// cluster to the API (530 refusals, configuration publishing, listManagementServers), follows live
    /// configuration and leadership, and starts the extensions.
    /// - Parameters:
    ///   - address: where this server serves the API (`host:port`).
    ///   - extensions: work to run while joined (e.g. adoption of the hosts this server owns).
    /// - Throws: `KeeperError`/`CoordinationError`/`RecipeError` when ZooKeeper cannot be joined (e.g. another live
    ///   server has this id); ``StoreError``; what an extension throws.
    public func join(address: String, extensions: [any ClusterExtension] = []) async throws {
        let id = self.configuration.serverId
        var coordination = CoordinationConfiguration(
            connectString: self.configuration.connectString,
            rootPath: self.configuration.rootPath,
            sessionTimeout: self.configuration.sessionTimeout,
            serverId: id,
            address: address,
            version: self.configuration.version,
            credentials: self.configuration.credentials
        )
        coordination.sessionRecordDirectory = self.configuration.sessionRecordDirectory
        coordination.tls = self.configuration.zookeeperTLS
        let coordinator = try await self.retryingConnectionLoss {
            try await Coordinator.start(configuration: coordination, logger: self.logger)
        }
        self.state.withLock { $0.coordinator = coordinator }
        try await self.store.recordManagementServer(
            ManagementServerRow(
                id: id,
                name: id,
                serviceIp: address,
                version: self.configuration.version,
                state: "Up",
                lastStart: self.store.clock.now
            )
        )
        await self.core.alerts.managementServerUp(id: id, address: address)
        try await self.recoverOwnJobs(coordinator: coordinator)
        _ = try await self.core.configuration.snapshot()
        self.core.attach(cluster: CoordinatedServices(coordinator: coordinator, store: self.store))
        let duties = LeaderDuties(
            coordinator: coordinator,
            core: self.core,
            configuration: self.configuration,
            logger: self.logger
        )
        // The watches run as children of one task, owned by the runtime: ``stop()`` cancels it and waits for all.
        let watches = Task { [core = self.core, store = self.store] in
            await withDiscardingTaskGroup { group in
                group.addTask { await Self.followConfiguration(coordinator, core: core) }
                group.addTask { await Self.followLeadership(coordinator, duties: duties) }
                group.addTask { await Self.followHosts(coordinator, store: store) }
            }
        }
        self.state.withLock { $0.tasks.append(watches) }
        for item in extensions {
            try await item.start(runtime: self)
            self.state.withLock { $0.extensions.append(item) }
        }
    }

    /// Applies every live configuration change published by any server.
    private static func followConfiguration(_ coordinator: Coordinator, core: CloudServices) async {
        for await change in coordinator.configurationChanges() {
            core.configuration.apply(name: change.key, value: change.value)
        }
    }

    /// Runs the leader's duties while this server leads, each term under its own fencing token.
    private static func followLeadership(_ coordinator: Coordinator, duties: LeaderDuties) async {
        var current: Task<Void, Never>?
        for await leadership in coordinator.leadershipChanges() {
            current?.cancel()
            await current?.value
            current = nil
            if let token = leadership.token { current = Task { await duties.run(token: token) } }
        }
        current?.cancel()
        await current?.value
    }

    /// Hosts come and go through other servers too (adoption by their owner, HA by the leader): re-reads the
    /// planner's host inventory when the live hosts change, and again shortly after, once the owner has written
    /// the host's row.
    private static func followHosts(_ coordinator: Coordinator, store: CloudStore) async {
        var refresh: Task<Void, Never>?
        for await _ in coordinator.hostDirectory.events() {
            store.hostChanges.changedAll()
            refresh?.cancel()
            refresh = Task {
                for delay in [1, 3] {
                    do { try await Task.sleep(for: .seconds(delay)) } catch { return }
                    store.hostChanges.changedAll()
                }
            }
        }
        refresh?.cancel()
    }

    /// The hosts this server owns (assigned by the leader): the current set, then each change.
    /// - Returns: the sets; empty (finished at once) before ``join(address:extensions:)``.
    public func ownedHosts() -> AsyncStream<[String]> {
        guard let coordinator = self.coordinator else { return AsyncStream { $0.finish() } }
        return coordinator.ownedHosts()
    }

    /// Leaves gracefully: lets the running jobs finish (for up to ``ClusterConfiguration/jobDrainLimit``, while
    /// the extensions, e.g. the agents the jobs talk to, still run), ends the leader's duties and the watches,
    /// stops the extensions, records the stop, leaves
    /// the cluster (its membership and leadership go at once), lets template downloads finish and closes the store. Stop what submits jobs (the
    /// API) first. Idempotent; after ``abandon()`` it only closes the store.
    public func stop() async {
        let leaving = self.leave()
        if let (coordinator, tasks, extensions) = leaving {
            await self.finishRunningJobs()
            // The leader's duties and the watches end first: the extensions' hosts leaving is no host failure.
            for task in tasks { task.cancel() }
            for task in tasks { await task.value }
            for item in extensions.reversed() { await item.stop() }
            if coordinator != nil {
                try? await self.store.recordManagementServerStopped(
                    id: self.configuration.serverId,
                    at: self.store.clock.now
                )
            }
            if let coordinator { await Self.leave(coordinator, within: self.configuration.sessionTimeout) }
        }
        let close = self.state.withLock { state in
            defer { state.closed = true }
            return !state.closed
        }
        if close {
            if leaving == nil { await self.finishRunningJobs() }
            // Template downloads in progress end before their store closes: the simulated walks (well under a second
            // each) finish, the real ones are cancelled and record why.
            await self.core.templateDownloads.shutdown()
            await self.core.imageDownloads.shutdown()
            await self.store.close()
        }
    }

    /// Waits for the running jobs, up to ``ClusterConfiguration/jobDrainLimit``; those still running are left
    /// pending, to the orphaned-job sweep.
    private func finishRunningJobs() async {
        let unfinished = await self.core.jobs.drain(within: self.configuration.jobDrainLimit)
        guard !unfinished.isEmpty else { return }
        self.logger.warning(
            "jobs still running at shutdown are left pending, to be failed by the orphaned-job sweep",
            metadata: ["jobs": "\(unfinished.joined(separator: ","))"]
        )
    }

    /// Dies without cleaning up, as a killed process would (tests): the extensions, the leader's duties and the
    /// configuration watch stop, the ZooKeeper connection is dropped without leaving, and the `mshost` row and
    /// pending jobs stay as they are. The store stays open until ``stop()``.
    public func abandon() async {
        guard let (coordinator, tasks, extensions) = self.leave() else { return }
        for item in extensions.reversed() { await item.stop() }
        for task in tasks { task.cancel() }
        await coordinator?.client.close()
        await coordinator?.stop()
    }

    /// Runs `body`, again after a lost connection (a loaded machine or a ZooKeeper failover), for up to three
    /// session timeouts.
    private func retryingConnectionLoss<T>(_ body: () async throws -> T) async throws -> T {
        let deadline = ContinuousClock.now + self.configuration.sessionTimeout * 3
        while true {
            do {
                return try await body()
            } catch let error as KeeperError
                where [KeeperError.Code.connectionLoss, .operationTimeout].contains(error.code)
                && ContinuousClock.now < deadline
            {
                self.logger.warning(
                    "ZooKeeper connection lost while joining; retrying",
                    metadata: ["error": "\(error)"]
                )
                try await Task.sleep(for: .milliseconds(500))
            }
        }
    }

    /// Stops `coordinator`; when ZooKeeper cannot be reached within `limit` (leaving needs it), the connection is
    /// closed instead and the session left to expire.
    private static func leave(_ coordinator: Coordinator, within limit: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await coordinator.stop() }
            group.addTask {
                do { try await Task.sleep(for: limit) } catch { return }
                await coordinator.client.close()
            }
            await group.next()
            group.cancelAll()
        }
    }

    private func leave() -> (Coordinator?, [Task<Void, Never>], [any ClusterExtension])? {
        self.state.withLock { state in
            guard !state.left else { return nil }
            state.left = true
            defer {
                state.tasks = []
                state.extensions = []
            }
            return (state.coordinator, state.tasks, state.extensions)
        }
    }

    /// Fails the jobs this server left pending in an earlier life (found by its id); a server alone in the cluster
    /// recovers everything, as a single server does at start.
    private func recoverOwnJobs(coordinator: Coordinator) async throws {
        let members = try await self.retryingConnectionLoss { try await coordinator.members().map(\.id) }
        if members == [self.configuration.serverId] {
            try await RestartRecovery.run(store: self.store, logger: self.logger)
            // Downloads into file image stores run in the process that started them: alone, no one runs them now.
            try await ImageStoreDownloads.failInterrupted(store: self.store, logger: self.logger)
        } else {
            try await RestartRecovery.recover(
                jobs: try await self.store.pendingJobs(owner: self.configuration.serverId),
                store: self.store,
                logger: self.logger,
                text: RestartRecovery.restartText
            )
        }
    }
}
