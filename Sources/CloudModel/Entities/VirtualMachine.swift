/// A virtual machine instance row.
public struct VirtualMachine: Sendable, Hashable, Codable {
    /// UUID.
    public var id: String
    /// Host name of the instance.
    public var name: String
    /// Display name.
    public var displayName: String
    /// Owning account UUID.
    public var accountId: String
    /// Zone UUID.
    public var zoneId: String
    /// Host UUID while placed.
    public var hostId: String?
    /// Template UUID.
    public var templateId: String
    /// Service offering UUID.
    public var serviceOfferingId: String
    /// Lifecycle state.
    public var state: VirtualMachineState
    /// Compare-and-set counter for state changes (CloudStack's `update_count`).
    public var updateCount: Int
    /// Cores.
    public var cpuNumber: Int
    /// MHz per core.
    public var cpuSpeed: Int
    /// Memory in MiB.
    public var memory: Int
    /// Creation time.
    public var created: Double

    /// Creates a VM row.
    public init(
        id: String,
        name: String,
        displayName: String,
        accountId: String,
        zoneId: String,
        hostId: String?,
        templateId: String,
        serviceOfferingId: String,
        state: VirtualMachineState,
        updateCount: Int = 0,
        cpuNumber: Int,
        cpuSpeed: Int,
        memory: Int,
        created: Double
    ) {
        self.id = id
        self.name = name
        self.displayName = displayName
        self.accountId = accountId
        self.zoneId = zoneId
        self.hostId = hostId
        self.templateId = templateId
        self.serviceOfferingId = serviceOfferingId
        self.state = state
        self.updateCount = updateCount
        self.cpuNumber = cpuNumber
        self.cpuSpeed = cpuSpeed
        self.memory = memory
        self.created = created
    }

    /// MHz this VM reserves on its host.
    public var cpuDemand: Int { self.cpuNumber.saturatingMultiplied(by: self.cpuSpeed) }
    /// Bytes this VM reserves on its host.
    public var memoryDemand: Int { self.memory.saturatingMultiplied(by: 1024 * 1024) }
}
