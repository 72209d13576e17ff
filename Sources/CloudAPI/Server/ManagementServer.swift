import CloudModel
import CloudStore
import Logging
import Orchestrator

/// The management server's API core: the command registry, authentication and the services commands use.
/// Transport-free: ``APIRouter`` carries HTTP requests to ``handle(_:)``.
public final class ManagementServer: Sendable {
    /// `default.page.size`'s default; the setting itself is read through ``configuration``.
    public static let defaultPageSize = 500

    /// The inventory.
    public let store: CloudStore
    /// The VM lifecycle.
    public let virtualMachines: VirtualMachineService
    /// The global settings (`listConfigurations`, `updateConfiguration`, and every planner decision).
    public let configuration: ConfigurationService
    /// Host administration (addHost, maintenance, deleteHost).
    public let hosts: HostService
    /// Async jobs.
    public let jobs: JobManager
    /// The simulator hypervisor (failure injection).
    public let simulator: SimulatorDriver
    /// Login sessions.
    public let sessions: SessionStore
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
    /// Commands by lower-cased name.
    let registry: [String: CommandDescriptor]
    let logger: Logger

    /// Creates a server over an opened store.
    /// - Parameters:
    ///   - store: the store.
    ///   - simulator: the hypervisor driver.
    ///   - logger: a logger.
    public init(store: CloudStore, simulator: SimulatorDriver = SimulatorDriver(), logger: Logger) {
        self.store = store
        self.simulator = simulator
        self.configuration = ConfigurationService(store: store)
        self.virtualMachines = VirtualMachineService(
            store: store,
            driver: simulator,
            logger: logger,
            configuration: self.configuration
        )
        self.hosts = HostService(store: store, virtualMachines: self.virtualMachines, logger: logger)
        self.jobs = JobManager(store: store, logger: logger)
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
            logger: logger
        )
        self.hostHA = HostHAService(
            store: store,
            virtualMachines: self.virtualMachines,
            events: self.events,
            alerts: self.alerts,
            logger: logger
        )
        self.sessions = SessionStore()
        self.logger = logger
        var registry: [String: CommandDescriptor] = [:]
        for command in CommandCatalog.all { registry[command.name.lowercased()] = command }
        self.registry = registry
    }

    /// The registered commands, by name.
    public var commands: [CommandDescriptor] {
        self.registry.values.sorted { $0.name < $1.name }
    }

    /// Looks a command up by its case-sensitive API name (`command` is case-sensitive in CloudStack).
    func command(named name: String) -> CommandDescriptor? {
        guard let command = self.registry[name.lowercased()], command.name == name else { return nil }
        return command
    }

    /// Resolves a user id to a caller, refusing disabled users and accounts.
    func caller(userId: String) async throws -> Caller? {
        guard let (user, account) = try await self.store.userAndAccount(userId: userId), user.state == "enabled",
            account.state == "enabled"
        else { return nil }
        return Caller(user: user, account: account)
    }
}
