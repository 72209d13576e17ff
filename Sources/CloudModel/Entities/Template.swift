/// A VM template and its download state.
public struct Template: Sendable, Hashable, Codable {
    /// UUID.
    public var id: String
    /// Name.
    public var name: String
    /// Display text.
    public var displayText: String
    /// Image format (`VHD`, `QCOW2`, ...).
    public var format: String
    /// Hypervisor.
    public var hypervisor: String
    /// Guest OS type name.
    public var osTypeName: String
    /// Download URL.
    public var url: String
    /// Visible to every account.
    public var isPublic: Bool
    /// Featured by an admin.
    public var isFeatured: Bool
    /// Owning account UUID.
    public var accountId: String
    /// Zone UUID.
    public var zoneId: String
    /// Download status text, e.g. `Download Complete` or `35% Downloaded`.
    public var status: String
    /// Whether it can be deployed.
    public var isReady: Bool
    /// Size in bytes.
    public var size: Int
    /// Creation time, seconds since 1970.
    public var created: Double

    /// Creates a template.
    public init(
        id: String,
        name: String,
        displayText: String,
        format: String,
        hypervisor: String,
        osTypeName: String,
        url: String,
        isPublic: Bool,
        isFeatured: Bool,
        accountId: String,
        zoneId: String,
        status: String,
        isReady: Bool,
        size: Int,
        created: Double
    ) {
        self.id = id
        self.name = name
        self.displayText = displayText
        self.format = format
        self.hypervisor = hypervisor
        self.osTypeName = osTypeName
        self.url = url
        self.isPublic = isPublic
        self.isFeatured = isFeatured
        self.accountId = accountId
        self.zoneId = zoneId
        self.status = status
        self.isReady = isReady
        self.size = size
        self.created = created
    }
}
