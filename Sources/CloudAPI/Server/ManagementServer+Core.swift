import CloudCore
import Orchestrator

/// The core's services, forwarded: the commands reach them through the server they are given.
extension ManagementServer {
    /// The VM lifecycle.
    public var virtualMachines: VirtualMachineService { self.core.virtualMachines }
    /// The global settings.
    public var configuration: ConfigurationService { self.core.configuration }
    /// Host administration.
    public var hosts: HostService { self.core.hosts }
    /// Async jobs.
    public var jobs: JobManager { self.core.jobs }
    /// The simulator hypervisor (failure injection).
    public var simulator: SimulatorDriver { self.core.simulator }
    /// The hypervisor driver every VM command goes through.
    public var driver: any HypervisorDriver { self.core.driver }
    /// Seals and opens the users' secret keys at rest.
    public var secrets: SecretKeyCipher { self.core.secrets }
    /// The event log.
    public var events: EventLog { self.core.events }
    /// The alert log.
    public var alerts: AlertLog { self.core.alerts }
    /// The capacity notification thresholds' checker.
    public var capacityAlerts: CapacityAlertChecker { self.core.capacityAlerts }
    /// Cluster DRS.
    public var drs: DrsService { self.core.drs }
    /// Host HA.
    public var hostHA: HostHAService { self.core.hostHA }
    /// The simulated template downloads.
    public var templateDownloads: TemplateDownloadSimulator { self.core.templateDownloads }
    /// When this server started (seconds since 1970).
    public var started: Double { self.core.started }
    /// The cluster this server belongs to, nil for a server on its own.
    public var cluster: (any ClusterServices)? { self.core.cluster }

    /// Joins this server to a cluster (``CloudServices/attach(cluster:)``).
    /// - Parameter cluster: the cluster's services, nil to leave.
    public func attach(cluster: (any ClusterServices)?) {
        self.core.attach(cluster: cluster)
    }
}
