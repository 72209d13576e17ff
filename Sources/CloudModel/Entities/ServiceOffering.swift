/// A compute offering: CPU, speed and memory for a VM.
///
/// A customized offering (CloudStack's dynamic offering) leaves some of CPU count, speed and memory at 0; the
/// deployer supplies them (`details[0].cpuNumber`, ...), within the `min`/`max` bounds when they are set.
public struct ServiceOffering: Sendable, Hashable, Codable {
    /// UUID.
    public var id: String
    /// Name.
    public var name: String
    /// Display text.
    public var displayText: String
    /// Cores (0 when the deployer chooses).
    public var cpuNumber: Int
    /// MHz per core (0 when the deployer chooses).
    public var cpuSpeed: Int
    /// Memory in MiB (as CloudStack reports it; 0 when the deployer chooses).
    public var memory: Int
    /// HA enabled.
    public var offerHa: Bool
    /// Required host tags.
    public var hostTags: String
    /// Creation time.
    public var created: Double
    /// Whether the deployer supplies CPU and memory (CloudStack's `iscustomized`).
    public var isCustomized: Bool
    /// Lowest core count a customized offering accepts.
    public var minCpuNumber: Int?
    /// Highest core count a customized offering accepts.
    public var maxCpuNumber: Int?
    /// Lowest memory (MiB) a customized offering accepts.
    public var minMemory: Int?
    /// Highest memory (MiB) a customized offering accepts.
    public var maxMemory: Int?
    /// Cap the VM's CPU use at its allocation (`limitcpuuse`).
    public var limitCpuUse: Bool
    /// When the offering was deleted (kept for the VMs that use it), or nil.
    public var removed: Double?

    /// Creates an offering.
    public init(
        id: String,
        name: String,
        displayText: String,
        cpuNumber: Int,
        cpuSpeed: Int,
        memory: Int,
        offerHa: Bool = false,
        hostTags: String = "",
        created: Double,
        isCustomized: Bool = false,
        minCpuNumber: Int? = nil,
        maxCpuNumber: Int? = nil,
        minMemory: Int? = nil,
        maxMemory: Int? = nil,
        limitCpuUse: Bool = false,
        removed: Double? = nil
    ) {
        self.id = id
        self.name = name
        self.displayText = displayText
        self.cpuNumber = cpuNumber
        self.cpuSpeed = cpuSpeed
        self.memory = memory
        self.offerHa = offerHa
        self.hostTags = hostTags
        self.created = created
        self.isCustomized = isCustomized
        self.minCpuNumber = minCpuNumber
        self.maxCpuNumber = maxCpuNumber
        self.minMemory = minMemory
        self.maxMemory = maxMemory
        self.limitCpuUse = limitCpuUse
        self.removed = removed
    }
}
