/// The global settings the planner reads (CloudStack names in `Key`), with per-cluster overprovisioning overrides.
///
/// In CloudStack the overprovisioning factors and disable thresholds are cluster-scoped settings; here they are
/// global, and `clusterCpuOverprovisioningFactors`/`clusterMemoryOverprovisioningFactors` override the factors for
/// single clusters (CloudStack's cluster details `cpuOvercommitRatio`/`memoryOvercommitRatio`).
public struct PlacementSettings: Sendable, Hashable {
    /// Which resource orders clusters (and hosts for `firstfitleastconsumed`): `host.capacityType.to.order.clusters`.
    public enum CapacityType: String, Sendable, Hashable, CaseIterable {
        /// CPU in MHz.
        case cpu = "CPU"
        /// Memory in bytes.
        case ram = "RAM"
    }

    /// The global configuration names these settings are read from.
    public enum Key {
        /// `vm.allocation.algorithm`.
        public static let allocationAlgorithm = "vm.allocation.algorithm"
        /// `cpu.overprovisioning.factor`.
        public static let cpuOverprovisioningFactor = "cpu.overprovisioning.factor"
        /// `mem.overprovisioning.factor`.
        public static let memoryOverprovisioningFactor = "mem.overprovisioning.factor"
        /// `cluster.cpu.allocated.capacity.disablethreshold`.
        public static let clusterCpuDisableThreshold = "cluster.cpu.allocated.capacity.disablethreshold"
        /// `cluster.memory.allocated.capacity.disablethreshold`.
        public static let clusterMemoryDisableThreshold = "cluster.memory.allocated.capacity.disablethreshold"
        /// `cluster.threshold.enabled`.
        public static let clusterThresholdEnabled = "cluster.threshold.enabled"
        /// `host.capacityType.to.order.clusters`.
        public static let capacityTypeToOrderClusters = "host.capacityType.to.order.clusters"
    }

    /// `vm.allocation.algorithm` (default `random`).
    public var allocationAlgorithm: AllocationAlgorithm
    /// `cpu.overprovisioning.factor` (default 1.0).
    public var cpuOverprovisioningFactor: Double
    /// `mem.overprovisioning.factor` (default 1.0).
    public var memoryOverprovisioningFactor: Double
    /// Cluster id → CPU factor, overriding `cpuOverprovisioningFactor` for that cluster.
    public var clusterCpuOverprovisioningFactors: [String: Double]
    /// Cluster id → memory factor, overriding `memoryOverprovisioningFactor` for that cluster.
    public var clusterMemoryOverprovisioningFactors: [String: Double]
    /// `cluster.cpu.allocated.capacity.disablethreshold` (default 0.85): a cluster whose allocated CPU, with the
    /// VM's, would exceed this fraction of its overprovisioned total is skipped.
    public var clusterCpuDisableThreshold: Double
    /// `cluster.memory.allocated.capacity.disablethreshold` (default 0.85), as for CPU.
    public var clusterMemoryDisableThreshold: Double
    /// `cluster.threshold.enabled` (default true): whether the disable thresholds apply.
    public var clusterThresholdEnabled: Bool
    /// `host.capacityType.to.order.clusters` (default CPU).
    public var capacityTypeToOrderClusters: CapacityType

    /// Creates settings; the defaults are CloudStack's.
    /// - Parameters:
    ///   - allocationAlgorithm: `vm.allocation.algorithm`.
    ///   - cpuOverprovisioningFactor: `cpu.overprovisioning.factor`.
    ///   - memoryOverprovisioningFactor: `mem.overprovisioning.factor`.
    ///   - clusterCpuOverprovisioningFactors: per-cluster CPU factors.
    ///   - clusterMemoryOverprovisioningFactors: per-cluster memory factors.
    ///   - clusterCpuDisableThreshold: `cluster.cpu.allocated.capacity.disablethreshold`.
    ///   - clusterMemoryDisableThreshold: `cluster.memory.allocated.capacity.disablethreshold`.
    ///   - clusterThresholdEnabled: `cluster.threshold.enabled`.
    ///   - capacityTypeToOrderClusters: `host.capacityType.to.order.clusters`.
    public init(
        allocationAlgorithm: AllocationAlgorithm = .random,
        cpuOverprovisioningFactor: Double = 1.0,
        memoryOverprovisioningFactor: Double = 1.0,
        clusterCpuOverprovisioningFactors: [String: Double] = [:],
        clusterMemoryOverprovisioningFactors: [String: Double] = [:],
        clusterCpuDisableThreshold: Double = 0.85,
        clusterMemoryDisableThreshold: Double = 0.85,
        clusterThresholdEnabled: Bool = true,
        capacityTypeToOrderClusters: CapacityType = .cpu
    ) {
        self.allocationAlgorithm = allocationAlgorithm
        self.cpuOverprovisioningFactor = cpuOverprovisioningFactor
        self.memoryOverprovisioningFactor = memoryOverprovisioningFactor
        self.clusterCpuOverprovisioningFactors = clusterCpuOverprovisioningFactors
        self.clusterMemoryOverprovisioningFactors = clusterMemoryOverprovisioningFactors
        self.clusterCpuDisableThreshold = clusterCpuDisableThreshold
        self.clusterMemoryDisableThreshold = clusterMemoryDisableThreshold
        self.clusterThresholdEnabled = clusterThresholdEnabled
        self.capacityTypeToOrderClusters = capacityTypeToOrderClusters
    }

    /// Reads the settings from global configuration values (name → value, as `listConfigurations` shows them).
    /// Absent or unparsable values keep CloudStack's defaults, as CloudStack's `NumbersUtil.parseFloat(value, 0.85F)`
    /// does; the algorithm and capacity type are matched case-insensitively.
    /// - Parameter configuration: configuration name → value.
    public init(configuration: [String: String]) {
        self.init()
        let algorithm = configuration[Key.allocationAlgorithm]?.lowercased()
        if let algorithm, let value = AllocationAlgorithm(rawValue: algorithm) {
            self.allocationAlgorithm = value
        }
        Self.read(configuration[Key.cpuOverprovisioningFactor], into: &self.cpuOverprovisioningFactor)
        Self.read(configuration[Key.memoryOverprovisioningFactor], into: &self.memoryOverprovisioningFactor)
        Self.read(configuration[Key.clusterCpuDisableThreshold], into: &self.clusterCpuDisableThreshold)
        Self.read(configuration[Key.clusterMemoryDisableThreshold], into: &self.clusterMemoryDisableThreshold)
        if let enabled = configuration[Key.clusterThresholdEnabled].flatMap({ Bool($0.lowercased()) }) {
            self.clusterThresholdEnabled = enabled
        }
        let type = configuration[Key.capacityTypeToOrderClusters]?.uppercased()
        if let type, let value = CapacityType(rawValue: type) {
            self.capacityTypeToOrderClusters = value
        }
    }

    /// The CPU overprovisioning factor of a cluster.
    /// - Parameter clusterId: the cluster.
    /// - Returns: its override, else the global factor.
    public func cpuOverprovisioningFactor(cluster clusterId: String) -> Double {
        self.clusterCpuOverprovisioningFactors[clusterId] ?? self.cpuOverprovisioningFactor
    }

    /// The memory overprovisioning factor of a cluster.
    /// - Parameter clusterId: the cluster.
    /// - Returns: its override, else the global factor.
    public func memoryOverprovisioningFactor(cluster clusterId: String) -> Double {
        self.clusterMemoryOverprovisioningFactors[clusterId] ?? self.memoryOverprovisioningFactor
    }

    private static func read(_ text: String?, into value: inout Double) {
        if let text, let parsed = Double(text), parsed.isFinite, parsed >= 0 {
            value = parsed
        }
    }
}
