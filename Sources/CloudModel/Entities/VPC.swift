/// A virtual private cloud: a super-CIDR whose tiers are networks with its `vpcId`.
public struct VPC: Sendable, Hashable, Codable {
    /// UUID.
    public var id: String
    /// Name.
    public var name: String
    /// Display text.
    public var displayText: String
    /// Zone.
    public var zoneId: String
    /// The super-CIDR the tiers' CIDRs lie in.
    public var cidr: String
    /// Owner.
    public var accountId: String
    /// The VPC offering.
    public var vpcOfferingId: String
    /// `Enabled`.
    public var state: String
    /// The network domain.
    public var networkDomain: String
    /// Creation time.
    public var created: Double

    /// Creates a VPC.
    public init(
        id: String,
        name: String,
        displayText: String,
        zoneId: String,
        cidr: String,
        accountId: String,
        vpcOfferingId: String,
        networkDomain: String,
        created: Double
    ) {
        self.id = id
        self.name = name
        self.displayText = displayText
        self.zoneId = zoneId
        self.cidr = cidr
        self.accountId = accountId
        self.vpcOfferingId = vpcOfferingId
        self.state = "Enabled"
        self.networkDomain = networkDomain
        self.created = created
    }
}

/// A network ACL list of a VPC, whose items filter its tiers' traffic.
public struct NetworkACLList: Sendable, Hashable, Codable {
    /// UUID.
    public var id: String
    /// Name.
    public var name: String
    /// Description.
    public var description: String
    /// The VPC (nil for the two system lists `default_allow` and `default_deny`).
    public var vpcId: String?

    /// Creates a list.
    public init(id: String, name: String, description: String, vpcId: String?) {
        self.id = id
        self.name = name
        self.description = description
        self.vpcId = vpcId
    }
}

/// One numbered rule of a network ACL list.
public struct NetworkACLItem: Sendable, Hashable, Codable {
    /// UUID.
    public var id: String
    /// The list.
    public var aclId: String
    /// Evaluation order, unique in the list.
    public var number: Int
    /// `tcp`, `udp`, `icmp`, `all`.
    public var protocolName: String
    /// First port.
    public var startPort: Int?
    /// Last port.
    public var endPort: Int?
    /// Comma-separated CIDRs.
    public var cidrList: String
    /// `Allow` or `Deny`.
    public var action: String
    /// `Ingress` or `Egress`.
    public var trafficType: String

    /// Creates an item.
    public init(
        id: String,
        aclId: String,
        number: Int,
        protocolName: String,
        startPort: Int?,
        endPort: Int?,
        cidrList: String,
        action: String,
        trafficType: String
    ) {
        self.id = id
        self.aclId = aclId
        self.number = number
        self.protocolName = protocolName
        self.startPort = startPort
        self.endPort = endPort
        self.cidrList = cidrList
        self.action = action
        self.trafficType = trafficType
    }
}
