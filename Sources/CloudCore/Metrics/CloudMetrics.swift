import CloudModel

/// The cloud's numbers at one moment, as CloudStack's Prometheus exporter (`PrometheusExporterImpl`) reports them,
/// plus what ZooStack adds (async jobs, the cluster): what `/metrics` renders. Computed by ``MetricsService`` from
/// aggregate queries; no entity lists behind it but hosts, pools, zones and domains.
public struct CloudMetrics: Sendable, Hashable {
    /// One zone's totals.
    public struct ZoneSample: Sendable, Hashable {
        /// The zone's name (CloudStack's `zone` label).
        public var name: String
        /// Hosts Up and not in maintenance.
        public var hostsOnline = 0
        /// Hosts Down or Disconnected, or in maintenance.
        public var hostsOffline = 0
        /// Every host.
        public var hostsTotal = 0
        /// CPU reserved by VMs on the zone's hosts, MHz.
        public var cpuAllocatedMHz = 0
        /// Memory reserved by VMs on the zone's hosts, bytes.
        public var memoryAllocatedBytes = 0
        /// VMs by state, every ``VirtualMachineState`` present (0 when none).
        public var virtualMachines: [VirtualMachineState: Int] = [:]
        /// Public IP addresses allocated to an account.
        public var publicIPsAllocated = 0
        /// Every public IP address.
        public var publicIPsTotal = 0

        /// Makes a zone's sample with nothing counted.
        /// - Parameter name: the zone's name.
        public init(name: String) {
            self.name = name
        }
    }

    /// One host's capacity.
    public struct HostSample: Sendable, Hashable {
        /// Its zone's name.
        public var zone: String
        /// The host's name.
        public var name: String
        /// Its private address.
        public var address: String
        /// Its tags, comma-separated.
        public var tags: String
        /// The CPU overprovisioning factor.
        public var cpuFactor: Double
        /// The memory overprovisioning factor.
        public var memoryFactor: Double
        /// CPU reserved by its VMs, MHz.
        public var cpuUsedMHz: Int
        /// CPU it has (cores × speed), MHz.
        public var cpuTotalMHz: Int
        /// Memory reserved by its VMs, bytes.
        public var memoryUsedBytes: Int
        /// Memory it has, bytes.
        public var memoryTotalBytes: Int
        /// VMs placed on it.
        public var virtualMachines: Int
    }

    /// One primary storage pool or image store.
    public struct PoolSample: Sendable, Hashable {
        /// Its zone's name.
        public var zone: String
        /// Its name.
        public var name: String
        /// Where it is (an image store's URL; a primary pool's cluster-local path).
        public var address: String
        /// `primary` or `secondary`.
        public var type: String
        /// The storage overprovisioning factor (primary pools only).
        public var overprovisioningFactor: Double?
        /// Bytes used.
        public var usedBytes: Int
        /// Bytes allocated (primary pools only).
        public var allocatedBytes: Int?
        /// Bytes it holds.
        public var totalBytes: Int
    }

    /// What one domain and its subdomains use (CloudStack's domain `resource_count`).
    public struct DomainSample: Sendable, Hashable {
        /// The path as CloudStack shows it, `ROOT/child`.
        public var path: String
        /// CPU cores.
        public var cpu: Int
        /// MiB of memory.
        public var memory: Int
        /// Bytes of volumes.
        public var primaryStorage: Int
        /// Bytes of templates and snapshots.
        public var secondaryStorage: Int
    }

    /// The running VMs on real hosts with their last counters, by VM id (at most
    /// `prometheus.exporter.vm.stats.limit` of them).
    public var virtualMachines: [VirtualMachineSample] = []
    /// One running VM on a real host and its last counters (CloudStack's `vm_stats`).
    public struct VirtualMachineSample: Sendable, Hashable {
        /// Its zone's name.
        public var zone: String
        /// The name of its host.
        public var host: String
        /// The VM's name.
        public var name: String
        /// The counters; `id` is the VM's uuid.
        public var stats: VirtualMachineStats
    }

    /// The zones, by name.
    public var zones: [ZoneSample] = []
    /// The hosts, by zone and name.
    public var hosts: [HostSample] = []
    /// Primary pools, then image stores, by zone and name.
    public var pools: [PoolSample] = []
    /// The domains, by path.
    public var domains: [DomainSample] = []
    /// Async jobs by status, every status present (0 when none).
    public var jobs: [AsyncJobStatus: Int] = [:]
    /// This server as a cluster member, nil for a server on its own.
    public var cluster: ClusterMetrics?

    /// Makes an empty value.
    public init() {}
}

/// A management server's coordination as its metrics show it.
public struct ClusterMetrics: Sendable, Hashable {
    /// The ZooKeeper session states, in the order they are rendered.
    public static let sessionStates = ["connected", "suspended", "lost", "stopped"]

    /// One of ``sessionStates``.
    public var sessionState: String
    /// Whether this server is the cluster's leader.
    public var isLeader: Bool
    /// The leader's fencing epoch while this server leads, nil otherwise.
    public var epoch: Int?
    /// The hosts this server owns (manages).
    public var ownedHosts: Int

    /// Makes a value.
    /// - Parameters:
    ///   - sessionState: one of ``sessionStates``.
    ///   - isLeader: whether this server leads.
    ///   - epoch: the fencing epoch while leading.
    ///   - ownedHosts: the hosts this server owns.
    public init(sessionState: String, isLeader: Bool, epoch: Int?, ownedHosts: Int) {
        self.sessionState = sessionState
        self.isLeader = isLeader
        self.epoch = epoch
        self.ownedHosts = ownedHosts
    }
}
