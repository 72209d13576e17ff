/// A disk volume (the root disk of a VM, or a data disk).
public struct Volume: Sendable, Hashable, Codable {
    /// UUID.
    public var id: String
    /// Name.
    public var name: String
    /// VM UUID when attached.
    public var vmId: String?
    /// Zone UUID.
    public var zoneId: String
    /// `ROOT` or `DATADISK`.
    public var type: String
    /// Size in bytes.
    public var size: Int
    /// `Ready`, `Allocated`, `Destroy`, ...
    public var state: String
    /// Creation time.
    public var created: Double

    /// Creates a volume.
    public init(
        id: String,
        name: String,
        vmId: String?,
        zoneId: String,
        type: String,
        size: Int,
        state: String,
        created: Double
    ) {
        self.id = id
        self.name = name
        self.vmId = vmId
        self.zoneId = zoneId
        self.type = type
        self.size = size
        self.state = state
        self.created = created
    }
}
