/// One kind of capacity (CPU in MHz, memory in bytes) of a host, cluster or zone: CloudStack's `op_host_capacity`
/// row arithmetic, shared by the planner and `listCapacity`.
///
/// CloudStack (CapacityManagerImpl.checkIfHostHasCapacity) truncates the overprovisioned total to a whole number,
/// then accepts an allocation when `used + reserved + requested <= total × factor`.
public struct Capacity: Sendable, Hashable {
    /// The capacity held by running VMs.
    public var used: Int
    /// The capacity held for stopped VMs that may come back (CloudStack's `reserved_capacity`).
    public var reserved: Int
    /// The physical total (CPU: cores × speed in MHz; memory: bytes).
    public var total: Int
    /// `cpu.overprovisioning.factor` or `mem.overprovisioning.factor` (1.0: no overcommit).
    public var overprovisioningFactor: Double

    /// Creates a capacity.
    /// - Parameters:
    ///   - used: the capacity held by running VMs.
    ///   - reserved: the capacity held for stopped VMs.
    ///   - total: the physical total.
    ///   - overprovisioningFactor: the factor the total is multiplied by.
    public init(used: Int, reserved: Int = 0, total: Int, overprovisioningFactor: Double = 1.0) {
        self.used = used
        self.reserved = reserved
        self.total = total
        self.overprovisioningFactor = overprovisioningFactor
    }

    /// The total after overprovisioning, truncated as CloudStack's `(long) (total * ratio)`.
    public var effectiveTotal: Int {
        // A factor from a stored row or setting may be anything: clamp rather than trap on inf, NaN or huge values.
        Int(saturating: Double(self.total) * self.overprovisioningFactor)
    }

    /// Used plus reserved: what `listCapacity` reports as `capacityused` for CPU and memory.
    public var allocated: Int {
        self.used.saturatingAdding(self.reserved)
    }

    /// What is left to allocate (never negative).
    public var free: Int {
        max(0, self.effectiveTotal.saturatingSubtracting(self.allocated))
    }

    /// Whether `amount` more fits: `used + reserved + amount <= total × factor`.
    /// - Parameter amount: the capacity requested.
    /// - Returns: true when it fits.
    public func canAllocate(_ amount: Int) -> Bool {
        self.allocated.saturatingAdding(amount) <= self.effectiveTotal
    }

    /// The fraction of the effective total that would be allocated after adding `amount`
    /// (CloudStack's disable-threshold test, `listClustersCrossingThreshold`); 1 or more when the total is 0.
    /// - Parameter amount: the capacity requested (0 for the current fraction).
    /// - Returns: `(used + reserved + amount) / (total × factor)`.
    public func allocatedFraction(adding amount: Int = 0) -> Double {
        let effective = self.effectiveTotal
        let allocated = self.allocated.saturatingAdding(amount)
        guard effective > 0 else { return allocated > 0 ? .infinity : 1 }
        return Double(allocated) / Double(effective)
    }

    /// `listCapacity`'s `percentused`: allocated over effective total, in percent (0 when the total is 0).
    public var percentUsed: Double {
        let effective = self.effectiveTotal
        guard effective > 0 else { return 0 }
        return Double(self.allocated) / Double(effective) * 100
    }

    /// The sum of two capacities of the same kind (a cluster's aggregate); keeps this one's factor.
    /// - Parameter other: the capacity to add.
    /// - Returns: the summed capacity.
    public func adding(_ other: Capacity) -> Capacity {
        Capacity(
            used: self.used.saturatingAdding(other.used),
            reserved: self.reserved.saturatingAdding(other.reserved),
            total: self.total.saturatingAdding(other.total),
            overprovisioningFactor: self.overprovisioningFactor
        )
    }
}
