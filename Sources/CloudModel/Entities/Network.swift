/// A guest network with an IPv4 range (`startIp`...`endIp`).
public struct Network: Sendable, Hashable, Codable {
    /// UUID.
    public var id: String
    /// Name.
    public var name: String
    /// Zone UUID.
    public var zoneId: String
    /// Gateway.
    public var gateway: String
    /// Netmask.
    public var netmask: String
    /// First allocatable address.
    public var startIp: String
    /// Last allocatable address.
    public var endIp: String
    /// Owning account UUID; nil for a zone-wide shared network every account may use.
    public var accountId: String?
    /// The network offering's UUID (nil for networks created before offerings existed).
    public var networkOfferingId: String?
    /// Display text.
    public var displayText: String
    /// CloudStack's guest type: `Isolated` or `Shared`.
    public var guestType: String
    /// `Allocated`, `Implemented` or `Destroy`.
    public var state: String
    /// The VPC of a tier, nil otherwise.
    public var vpcId: String?
    /// The network ACL list of a VPC tier.
    public var aclId: String?
    /// The network domain (DNS suffix).
    public var networkDomain: String
    /// Creation time (seconds since 1970).
    public var created: Double

    /// Creates a network.
    public init(
        id: String,
        name: String,
        zoneId: String,
        gateway: String,
        netmask: String,
        startIp: String,
        endIp: String,
        accountId: String? = nil,
        networkOfferingId: String? = nil,
        displayText: String? = nil,
        guestType: String = "Shared",
        state: String = "Implemented",
        vpcId: String? = nil,
        aclId: String? = nil,
        networkDomain: String = "cs.internal",
        created: Double = 0
    ) {
        self.id = id
        self.name = name
        self.zoneId = zoneId
        self.gateway = gateway
        self.netmask = netmask
        self.startIp = startIp
        self.endIp = endIp
        self.accountId = accountId
        self.networkOfferingId = networkOfferingId
        self.displayText = displayText ?? name
        self.guestType = guestType
        self.state = state
        self.vpcId = vpcId
        self.aclId = aclId
        self.networkDomain = networkDomain
        self.created = created
    }
}
