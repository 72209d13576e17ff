/// A secondary storage (image store) of a zone, where templates and ISOs live (CloudStack's `ImageStoreVO`).
public struct ImageStore: Sendable, Hashable, Codable {
    /// UUID.
    public var id: String
    /// Display name.
    public var name: String
    /// Zone UUID.
    public var zoneId: String
    /// The provider, `NFS`.
    public var provider: String
    /// The URL's protocol, `nfs`.
    public var protocolName: String
    /// The store's URL, e.g. `nfs://10.0.0.1/export/secondary`.
    public var url: String
    /// Capacity in bytes (the simulated NFS export's size).
    public var capacity: Int
    /// Creation time.
    public var created: Double

    /// Creates an image store.
    public init(
        id: String,
        name: String,
        zoneId: String,
        provider: String = "NFS",
        protocolName: String = "nfs",
        url: String,
        capacity: Int,
        created: Double
    ) {
        self.id = id
        self.name = name
        self.zoneId = zoneId
        self.provider = provider
        self.protocolName = protocolName
        self.url = url
        self.capacity = capacity
        self.created = created
    }
}
