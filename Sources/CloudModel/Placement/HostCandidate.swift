/// A host as the planner sees it: where it is, whether it takes VMs, its capacity and its tags.
///
/// The orchestrator builds one per host of the zone from the store (in the store's order, which `firstfit` keeps,
/// as CloudStack's FirstFitAllocator keeps the database's order).
public struct HostCandidate: Sendable, Hashable, Identifiable {
    /// A host's connection status (CloudStack's `com.cloud.host.Status`).
    public typealias Status = HostStatus

    /// A host's administrative state (CloudStack's `com.cloud.resource.ResourceState`).
    public typealias ResourceState = HostResourceState

    /// The host's id (a UUID in the API).
    public var id: String
    /// The zone the host is in.
    public var zoneId: String
    /// The pod the host is in.
    public var podId: String
    /// The cluster the host is in.
    public var clusterId: String
    /// The connection status; only `up` hosts take VMs.
    public var status: Status
    /// The administrative state; only `enabled` hosts take VMs.
    public var resourceState: ResourceState
    /// Physical CPU cores.
    public var cpuCores: Int
    /// Speed of one core, in MHz.
    public var cpuSpeedMHz: Int
    /// Physical memory, in bytes.
    public var totalMemoryBytes: Int
    /// CPU held by running VMs, in MHz.
    public var usedCpuMHz: Int
    /// Memory held by running VMs, in bytes.
    public var usedMemoryBytes: Int
    /// CPU held for stopped VMs that may restart here, in MHz.
    public var reservedCpuMHz: Int
    /// Memory held for stopped VMs that may restart here, in bytes.
    public var reservedMemoryBytes: Int
    /// The host's tags; a VM goes only where every tag of its offering is present.
    public var hostTags: Set<String>

    /// Creates a host candidate.
    /// - Parameters:
    ///   - id: the host's id.
    ///   - zoneId: its zone.
    ///   - podId: its pod.
    ///   - clusterId: its cluster.
    ///   - status: its connection status.
    ///   - resourceState: its administrative state.
    ///   - cpuCores: physical cores.
    ///   - cpuSpeedMHz: speed of one core in MHz.
    ///   - totalMemoryBytes: physical memory in bytes.
    ///   - usedCpuMHz: CPU held by running VMs.
    ///   - usedMemoryBytes: memory held by running VMs.
    ///   - reservedCpuMHz: CPU held for stopped VMs.
    ///   - reservedMemoryBytes: memory held for stopped VMs.
    ///   - hostTags: the host's tags.
    public init(
        id: String,
        zoneId: String,
        podId: String,
        clusterId: String,
        status: Status = .up,
        resourceState: ResourceState = .enabled,
        cpuCores: Int,
        cpuSpeedMHz: Int,
        totalMemoryBytes: Int,
        usedCpuMHz: Int = 0,
        usedMemoryBytes: Int = 0,
        reservedCpuMHz: Int = 0,
        reservedMemoryBytes: Int = 0,
        hostTags: Set<String> = []
    ) {
        self.id = id
        self.zoneId = zoneId
        self.podId = podId
        self.clusterId = clusterId
        self.status = status
        self.resourceState = resourceState
        self.cpuCores = cpuCores
        self.cpuSpeedMHz = cpuSpeedMHz
        self.totalMemoryBytes = totalMemoryBytes
        self.usedCpuMHz = usedCpuMHz
        self.usedMemoryBytes = usedMemoryBytes
        self.reservedCpuMHz = reservedCpuMHz
        self.reservedMemoryBytes = reservedMemoryBytes
        self.hostTags = hostTags
    }

    /// Whether the host takes new VMs at all: Up and Enabled (CloudStack's `listAllUpAndEnabledNonHAHosts`).
    public var isAllocatable: Bool {
        self.status == .up && self.resourceState == .enabled
    }

    /// Total CPU in MHz: cores × speed.
    public var totalCpuMHz: Int {
        self.cpuCores.saturatingMultiplied(by: self.cpuSpeedMHz)
    }

    /// The host's CPU capacity in MHz under an overprovisioning factor.
    /// - Parameter factor: `cpu.overprovisioning.factor` for the host's cluster.
    /// - Returns: the CPU capacity.
    public func cpuCapacity(factor: Double = 1.0) -> Capacity {
        Capacity(
            used: self.usedCpuMHz,
            reserved: self.reservedCpuMHz,
            total: self.totalCpuMHz,
            overprovisioningFactor: factor
        )
    }

    /// The host's memory capacity in bytes under an overprovisioning factor.
    /// - Parameter factor: `mem.overprovisioning.factor` for the host's cluster.
    /// - Returns: the memory capacity.
    public func memoryCapacity(factor: Double = 1.0) -> Capacity {
        Capacity(
            used: self.usedMemoryBytes,
            reserved: self.reservedMemoryBytes,
            total: self.totalMemoryBytes,
            overprovisioningFactor: factor
        )
    }
}
