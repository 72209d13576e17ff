/// A security group: a named set of ingress and egress rules applied to the VMs that belong to it.
public struct SecurityGroup: Sendable, Hashable, Codable {
    /// UUID.
    public var id: String
    /// Name, unique within the account (`default` is created with the account's first use).
    public var name: String
    /// Description.
    public var description: String
    /// Owner.
    public var accountId: String
    /// Creation time.
    public var created: Double

    /// Creates a group.
    public init(id: String, name: String, description: String, accountId: String, created: Double) {
        self.id = id
        self.name = name
        self.description = description
        self.accountId = accountId
        self.created = created
    }
}

/// One ingress or egress rule of a security group.
public struct SecurityGroupRule: Sendable, Hashable, Codable {
    /// UUID.
    public var id: String
    /// The group.
    public var securityGroupId: String
    /// `ingress` or `egress`.
    public var type: String
    /// `tcp`, `udp`, `icmp`, `all` or a protocol number.
    public var protocolName: String
    /// First port (or ICMP type).
    public var startPort: Int?
    /// Last port (or ICMP code).
    public var endPort: Int?
    /// A source/destination CIDR, or nil when the rule names a group.
    public var cidr: String?
    /// The account of a named group (`usersecuritygrouplist`).
    public var peerAccount: String?
    /// The name of that group.
    public var peerGroup: String?

    /// Creates a rule.
    public init(
        id: String,
        securityGroupId: String,
        type: String,
        protocolName: String,
        startPort: Int?,
        endPort: Int?,
        cidr: String?,
        peerAccount: String? = nil,
        peerGroup: String? = nil
    ) {
        self.id = id
        self.securityGroupId = securityGroupId
        self.type = type
        self.protocolName = protocolName
        self.startPort = startPort
        self.endPort = endPort
        self.cidr = cidr
        self.peerAccount = peerAccount
        self.peerGroup = peerGroup
    }
}
