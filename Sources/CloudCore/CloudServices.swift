import CloudModel
import CloudStore
import Foundation
import ImageDownload
import Logging
import Orchestrator
import Synchronization

/// The application core of one management server: the store and every service over it (VM and volume lifecycles,
/// hosts, jobs, settings, limits, events, alerts, DRS, host HA, secrets), wired once. The API (`CloudAPI`'s
/// `ManagementServer`), the cluster runtime and the agents all work through it; it knows nothing of HTTP.
///
/// ```swift
/// let services = CloudServices(store: store, logger: logger)
/// _ = try await services.virtualMachines.expunge(id: vmId)
/// ```
public final class CloudServices: Sendable {
    /// The version this management server reports (`listManagementServers`, `listHosts`, cluster membership).
    public static let version = "4.19.0"

    /// The inventory.
    public let store: CloudStore
    /// The cloud's clock (the store's, injected where the store is opened).
    public var clock: WallClock { self.store.clock }
    /// The VM lifecycle.
    public let virtualMachines: VirtualMachineService
    /// The global settings (`listConfigurations`, `updateConfiguration`, and every planner decision).
    public let configuration: ConfigurationService
    /// Host administration (addHost, maintenance, deleteHost).
    public let hosts: HostService
    /// The resource limit checks (reservations for what a command creates).
    public let limits: ResourceLimitService
    /// Async jobs.
    public let jobs: JobManager
    /// The simulator hypervisor (failure injection: `configureSimulator` installs its rules; an agent-aware driver
    /// applies them before forwarding a command to an agent).
    public let simulator: SimulatorDriver
    /// The hypervisor driver every VM command goes through (``simulator`` unless another one was given).
    public let driver: any HypervisorDriver
    /// Seals and opens the users' secret keys at rest (the same key as ``CloudBootstrap`` was given).
    public let secrets: SecretKeyCipher
    /// The event log (`listEvents`).
    public let events: EventLog
    /// The alert log (`listAlerts`; the cluster's management-server watch calls `alerts.managementServerDown`).
    public let alerts: AlertLog
    /// The capacity notification thresholds' checker (the leader calls `capacityAlerts.check()` periodically).
    public let capacityAlerts: CapacityAlertChecker
    /// Cluster DRS (generate/execute/listClusterDrsPlan; the leader calls `drs.runAutomatic()`).
    public let drs: DrsService
    /// Host HA (the ZooKeeper host watch calls `hostHA.hostLost` / `hostReconnected`).
    public let hostHA: HostHAService
    /// The console proxy's single-use tokens (`createConsoleEndpoint`).
    public let consoleSessions = ConsoleSessions()
    /// Login sessions, shared through the database by every management server.
    public let loginSessions: LoginSessions
    /// The simulated secondary storage's template downloads (registerTemplate, registerIso).
    public let templateDownloads: TemplateDownloadSimulator
    /// The real downloads into zones' `file://` image stores (registerTemplate, registerIso); shut down with
    /// ``templateDownloads``.
    public let imageDownloads: ImageStoreDownloads
    /// When this server started (seconds since 1970).
    public let started: Double
    /// A logger.
    public let logger: Logger
    private let clusterServices = Mutex<(any ClusterServices)?>(nil)

    /// Wires the services over an opened store.
    /// - Parameters:
    ///   - store: the store.
    ///   - simulator: the in-process simulator (failure injection), also the driver when `driver` is nil.
    ///   - driver: the hypervisor driver VM commands go through (e.g. one that sends them to a host's agent and
    ///     falls back to `simulator` for hosts without one); nil uses `simulator`.
    ///   - serverId: this management server's id in a cluster, recorded as the owner of its async jobs.
    ///   - secrets: seals and opens the users' secret keys at rest; every server of a database needs the same key.
    ///   - logger: a logger.
    public init(
        store: CloudStore,
        simulator: SimulatorDriver = SimulatorDriver(),
        driver: (any HypervisorDriver)? = nil,
        serverId: String? = nil,
        secrets: SecretKeyCipher = .ephemeral,
        logger: Logger
    ) {
        self.store = store
        self.loginSessions = LoginSessions(store: store)
        self.secrets = secrets
        self.simulator = simulator
        self.started = Date().timeIntervalSince1970
        let driver = driver ?? simulator
        self.driver = driver
        self.configuration = ConfigurationService(store: store, logger: logger)
        self.virtualMachines = VirtualMachineService(
            store: store,
            driver: driver,
            logger: logger,
            configuration: self.configuration
        )
        self.hosts = HostService(store: store, virtualMachines: self.virtualMachines, logger: logger)
        self.limits = ResourceLimitService(store: store, configuration: self.configuration)
        self.jobs = JobManager(store: store, logger: logger, owner: serverId)
        self.events = EventLog(store: store, logger: logger)
        self.alerts = AlertLog(store: store, logger: logger)
        self.capacityAlerts = CapacityAlertChecker(
            store: store,
            configuration: self.configuration,
            alerts: self.alerts
        )
        self.drs = DrsService(
            store: store,
            virtualMachines: self.virtualMachines,
            events: self.events,
            logger: logger,
            antiAffinityGroups: { clusterId in try await store.antiAffinityGroups(clusterId: clusterId) }
        )
        self.hostHA = HostHAService(
            store: store,
            virtualMachines: self.virtualMachines,
            events: self.events,
            alerts: self.alerts,
            logger: logger
        )
        self.templateDownloads = TemplateDownloadSimulator(store: store, logger: logger)
        let configuration = self.configuration
        self.imageDownloads = ImageStoreDownloads(store: store, logger: logger) {
            // The setting's range (at most 1 PiB in GiB) keeps the byte count far from overflow.
            let gib = configuration.cached.int(GlobalSettings.maxTemplateIsoSize) ?? 50
            return ImageDownloader.Limits(maxBytes: gib << 30)
        }
        self.logger = logger
    }

    /// The cluster this server belongs to, nil for a server on its own.
    public var cluster: (any ClusterServices)? {
        self.clusterServices.withLock { $0 }
    }

    /// Joins this server to a cluster: from now on, commands that need coordination are refused (530) while the
    /// cluster says it cannot coordinate, configuration changes are published to every server, and
    /// listManagementServers lists the cluster's servers.
    /// - Parameter cluster: the cluster's services, nil to leave.
    public func attach(cluster: (any ClusterServices)?) {
        self.clusterServices.withLock { $0 = cluster }
    }
}
