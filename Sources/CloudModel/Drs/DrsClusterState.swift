/// One host as DRS sees it: its capacity and what its VMs use.
public struct DrsHost: Sendable, Hashable {
    /// The host's id.
    public var id: String
    /// CPU capacity (MHz), without overprovisioning.
    public var cpuTotal: Int
    /// CPU allocated (MHz).
    public var cpuUsed: Int
    /// Memory capacity (bytes), without overprovisioning.
    public var memoryTotal: Int
    /// Memory allocated (bytes).
    public var memoryUsed: Int
    /// `cpu.overprovisioning.factor` for the fit check.
    public var cpuOverprovisioning: Double
    /// `mem.overprovisioning.factor` for the fit check.
    public var memoryOverprovisioning: Double

    /// Creates a host.
    /// - Parameters:
    ///   - id: the host's id.
    ///   - cpuTotal: MHz.
    ///   - cpuUsed: MHz allocated.
    ///   - memoryTotal: bytes.
    ///   - memoryUsed: bytes allocated.
    ///   - cpuOverprovisioning: the CPU factor.
    ///   - memoryOverprovisioning: the memory factor.
    public init(
        id: String,
        cpuTotal: Int,
        cpuUsed: Int,
        memoryTotal: Int,
        memoryUsed: Int,
        cpuOverprovisioning: Double = 1,
        memoryOverprovisioning: Double = 1
    ) {
        self.id = id
        self.cpuTotal = cpuTotal
        self.cpuUsed = cpuUsed
        self.memoryTotal = memoryTotal
        self.memoryUsed = memoryUsed
        self.cpuOverprovisioning = cpuOverprovisioning
        self.memoryOverprovisioning = memoryOverprovisioning
    }

    /// The CPU capacity as the planner's fit check sees it.
    public var cpu: Capacity {
        Capacity(used: self.cpuUsed, total: self.cpuTotal, overprovisioningFactor: self.cpuOverprovisioning)
    }

    /// The memory capacity as the planner's fit check sees it.
    public var memory: Capacity {
        Capacity(used: self.memoryUsed, total: self.memoryTotal, overprovisioningFactor: self.memoryOverprovisioning)
    }

    /// Whether a VM fits here (capacity × overprovisioning).
    /// - Parameter vm: the VM.
    /// - Returns: true when both CPU and memory fit.
    public func fits(_ vm: DrsVirtualMachine) -> Bool {
        self.cpu.canAllocate(vm.cpu) && self.memory.canAllocate(vm.memory)
    }

    /// The host's value for the imbalance: used or free, absolute or as a fraction of capacity.
    /// - Parameter settings: the metric settings.
    /// - Returns: the value.
    public func metricValue(_ settings: DrsSettings) -> Double {
        let (used, total) =
            settings.metric == .cpu ? (self.cpuUsed, self.cpuTotal) : (self.memoryUsed, self.memoryTotal)
        let value = settings.metricType == .used ? used : total.saturatingSubtracting(used)
        guard settings.useRatio else { return Double(value) }
        return total > 0 ? Double(value) / Double(total) : 0
    }
}

/// A running VM as DRS sees it.
public struct DrsVirtualMachine: Sendable, Hashable {
    /// The VM's id.
    public var id: String
    /// The host it runs on.
    public var hostId: String
    /// Its CPU demand (MHz).
    public var cpu: Int
    /// Its memory demand (bytes).
    public var memory: Int
    /// The hosts it may run on (its offering's host tags), or nil for any host of the cluster.
    public var allowedHostIds: Set<String>?

    /// Creates a VM.
    /// - Parameters:
    ///   - id: the VM's id.
    ///   - hostId: its host.
    ///   - cpu: MHz.
    ///   - memory: bytes.
    ///   - allowedHostIds: the hosts it may run on, nil for any.
    public init(id: String, hostId: String, cpu: Int, memory: Int, allowedHostIds: Set<String>? = nil) {
        self.id = id
        self.hostId = hostId
        self.cpu = cpu
        self.memory = memory
        self.allowedHostIds = allowedHostIds
    }
}

/// A cluster's hosts and running VMs: the state DRS measures and simulates moves on.
public struct DrsClusterState: Sendable, Hashable {
    /// The hosts, in a stable order.
    public var hosts: [DrsHost]
    /// The VMs that may move.
    public var virtualMachines: [DrsVirtualMachine]

    /// Creates a state.
    /// - Parameters:
    ///   - hosts: the hosts.
    ///   - virtualMachines: the VMs that may move.
    public init(hosts: [DrsHost], virtualMachines: [DrsVirtualMachine]) {
        self.hosts = hosts
        self.virtualMachines = virtualMachines
    }

    /// The cluster imbalance: the population standard deviation of the hosts' metric values over their mean
    /// (0 for no hosts or a zero mean), as CloudStack's `getClusterImbalance`.
    /// - Parameter settings: the metric settings.
    /// - Returns: the imbalance.
    public func imbalance(_ settings: DrsSettings) -> Double {
        Self.imbalance(of: self.hosts.map { $0.metricValue(settings) })
    }

    /// Standard deviation over mean of some values.
    /// - Parameter values: the values.
    /// - Returns: the coefficient of variation, 0 when empty or the mean is 0.
    public static func imbalance(of values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let mean = values.reduce(0, +) / Double(values.count)
        guard mean != 0 else { return 0 }
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
        return variance.squareRoot() / mean
    }

    /// The state after moving a VM (capacity moved from its host to the destination).
    /// - Parameters:
    ///   - vmIndex: the VM's index in `virtualMachines`.
    ///   - destination: the destination's index in `hosts`.
    /// - Returns: the new state.
    public func moving(_ vmIndex: Int, to destination: Int) -> DrsClusterState {
        var next = self
        let vm = next.virtualMachines[vmIndex]
        if let source = next.hosts.firstIndex(where: { $0.id == vm.hostId }) {
            next.hosts[source].cpuUsed = next.hosts[source].cpuUsed.saturatingSubtracting(vm.cpu)
            next.hosts[source].memoryUsed = next.hosts[source].memoryUsed.saturatingSubtracting(vm.memory)
        }
        next.hosts[destination].cpuUsed = next.hosts[destination].cpuUsed.saturatingAdding(vm.cpu)
        next.hosts[destination].memoryUsed = next.hosts[destination].memoryUsed.saturatingAdding(vm.memory)
        next.virtualMachines[vmIndex].hostId = next.hosts[destination].id
        return next
    }
}
