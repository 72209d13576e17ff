/// A compute offering: CPU, speed and memory for a VM.
public struct ServiceOffering: Sendable, Hashable, Codable {
    /// UUID.
    public var id: String
    /// Name.
    public var name: String
    /// Display text.
    public var displayText: String
    /// Cores.
    public var cpuNumber: Int
    /// MHz per core.
    public var cpuSpeed: Int
    /// Memory in MiB (as CloudStack reports it).
    public var memory: Int
    /// HA enabled.
    public var offerHa: Bool
    /// Required host tags.
    public var hostTags: String
    /// Creation time.
    public var created: Double

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
        created: Double
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
    }
}
