/// A real VM's last measured counters (CloudStack's `vm_stats`), as its host's agent reported them; rendered by
/// `listVirtualMachines` as `cpuused`, `memorykbs`, `networkkbsread`, ...
public struct VirtualMachineStats: Sendable, Hashable, Codable {
    /// The VM's id.
    public var id: String
    /// CPU use over the last sample, percent of the VM's vCPUs.
    public var cpuUsedPercent: Double
    /// Memory the guest has, KiB.
    public var memoryKbs: Int
    /// Memory free inside the guest, KiB (0 when unknown).
    public var memoryIntFreeKbs: Int
    /// Network KiB received.
    public var networkKbsRead: Int
    /// Network KiB sent.
    public var networkKbsWrite: Int
    /// Disk KiB read.
    public var diskKbsRead: Int
    /// Disk KiB written.
    public var diskKbsWrite: Int
    /// Disk read operations.
    public var diskIoRead: Int
    /// Disk write operations.
    public var diskIoWrite: Int
    /// When it was measured, seconds since 1970.
    public var updated: Double

    /// Makes a value.
    public init(
        id: String,
        cpuUsedPercent: Double,
        memoryKbs: Int,
        memoryIntFreeKbs: Int,
        networkKbsRead: Int,
        networkKbsWrite: Int,
        diskKbsRead: Int,
        diskKbsWrite: Int,
        diskIoRead: Int,
        diskIoWrite: Int,
        updated: Double
    ) {
        self.id = id
        self.cpuUsedPercent = cpuUsedPercent
        self.memoryKbs = memoryKbs
        self.memoryIntFreeKbs = memoryIntFreeKbs
        self.networkKbsRead = networkKbsRead
        self.networkKbsWrite = networkKbsWrite
        self.diskKbsRead = diskKbsRead
        self.diskKbsWrite = diskKbsWrite
        self.diskIoRead = diskIoRead
        self.diskIoWrite = diskIoWrite
        self.updated = updated
    }
}

/// A real host's last measured use (CloudStack's `HostStatsEntry`), as its agent reported it.
public struct HostStats: Sendable, Hashable, Codable {
    /// The host's id.
    public var id: String
    /// CPU use of the machine, percent.
    public var cpuUsedPercent: Double
    /// Memory in use on the machine, bytes.
    public var memoryUsed: Int
    /// Memory still available, bytes.
    public var memoryAvailable: Int
    /// When it was measured, seconds since 1970.
    public var updated: Double

    /// Makes a value.
    public init(id: String, cpuUsedPercent: Double, memoryUsed: Int, memoryAvailable: Int, updated: Double) {
        self.id = id
        self.cpuUsedPercent = cpuUsedPercent
        self.memoryUsed = memoryUsed
        self.memoryAvailable = memoryAvailable
        self.updated = updated
    }
}
