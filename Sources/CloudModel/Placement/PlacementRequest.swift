/// What a VM needs from a host, and where it must not go: the planner's input besides the hosts.
///
/// Mirrors what CloudStack's DeploymentPlanningManagerImpl hands a planner: the zone of the
/// `DataCenterDeployment`, the service offering's CPU, speed, memory and host tags, the owner account, the
/// `ExcludeList` (avoid set, including the hosts the anti-affinity processors add) and an admin's `hostid`.
public struct PlacementRequest: Sendable, Hashable {
    /// The zone to deploy in; hosts of other zones are ignored.
    public var zoneId: String
    /// Virtual CPUs of the offering.
    public var cpuNumber: Int
    /// Speed of one virtual CPU in MHz; the VM needs `cpuNumber × cpuSpeedMHz` MHz.
    public var cpuSpeedMHz: Int
    /// Memory of the offering, in bytes.
    public var memoryBytes: Int
    /// The offering's host tags; a host must carry all of them.
    public var hostTags: Set<String>
    /// The VM's owner, for `userdispersing` and `userconcentratedpod_*`.
    public var accountId: String
    /// How many of the owner's VMs each host runs (host id → count; absent hosts run none).
    /// Only `userdispersing` and `userconcentratedpod_*` read it.
    public var accountVMCountByHost: [String: Int]
    /// Hosts running VMs of the VM's anti-affinity groups; never chosen, not even when named by `hostId`.
    public var antiAffinityHostIds: Set<String>
    /// A host chosen by an admin (`deployVirtualMachine hostid=`): ordering is bypassed, suitability is not.
    public var hostId: String?
    /// Hosts to avoid (a retry's avoid set).
    public var avoidHostIds: Set<String>
    /// Clusters to avoid (a retry's avoid set).
    public var avoidClusterIds: Set<String>
    /// Pods to avoid (a retry's avoid set).
    public var avoidPodIds: Set<String>

    /// Creates a request.
    /// - Parameters:
    ///   - zoneId: the zone to deploy in.
    ///   - cpuNumber: virtual CPUs.
    ///   - cpuSpeedMHz: speed of one virtual CPU in MHz.
    ///   - memoryBytes: memory in bytes.
    ///   - hostTags: tags every chosen host must carry.
    ///   - accountId: the VM's owner.
    ///   - accountVMCountByHost: host id → number of the owner's VMs on it.
    ///   - antiAffinityHostIds: hosts running VMs of the VM's anti-affinity groups.
    ///   - hostId: an admin's explicit host.
    ///   - avoidHostIds: hosts to avoid.
    ///   - avoidClusterIds: clusters to avoid.
    ///   - avoidPodIds: pods to avoid.
    public init(
        zoneId: String,
        cpuNumber: Int,
        cpuSpeedMHz: Int,
        memoryBytes: Int,
        hostTags: Set<String> = [],
        accountId: String,
        accountVMCountByHost: [String: Int] = [:],
        antiAffinityHostIds: Set<String> = [],
        hostId: String? = nil,
        avoidHostIds: Set<String> = [],
        avoidClusterIds: Set<String> = [],
        avoidPodIds: Set<String> = []
    ) {
        self.zoneId = zoneId
        self.cpuNumber = cpuNumber
        self.cpuSpeedMHz = cpuSpeedMHz
        self.memoryBytes = memoryBytes
        self.hostTags = hostTags
        self.accountId = accountId
        self.accountVMCountByHost = accountVMCountByHost
        self.antiAffinityHostIds = antiAffinityHostIds
        self.hostId = hostId
        self.avoidHostIds = avoidHostIds
        self.avoidClusterIds = avoidClusterIds
        self.avoidPodIds = avoidPodIds
    }

    /// The CPU the VM needs in MHz: `cpuNumber × cpuSpeedMHz` (CloudStack's `offering.getCpu() * getSpeed()`).
    public var requiredCpuMHz: Int {
        self.cpuNumber.saturatingMultiplied(by: self.cpuSpeedMHz)
    }
}
