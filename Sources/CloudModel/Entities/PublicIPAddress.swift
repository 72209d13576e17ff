/// One address of a zone's public range: `Free` until associated with an account's network.
public struct PublicIPAddress: Sendable, Hashable, Codable {
    /// UUID.
    public var id: String
    /// Zone UUID.
    public var zoneId: String
    /// The IPv4 address (unique per zone).
    public var address: String
    /// The range's gateway.
    public var gateway: String
    /// The range's netmask.
    public var netmask: String
    /// The range's VLAN (`untagged` or `vlan://N`).
    public var vlan: String
    /// `Free` or `Allocated`.
    public var state: String
    /// Owner while allocated.
    public var accountId: String?
    /// The guest network it is associated with.
    public var networkId: String?
    /// The VPC it is associated with.
    public var vpcId: String?
    /// The network's source NAT address.
    public var isSourceNat: Bool
    /// The VM of a static NAT, when enabled.
    public var staticNatVmId: String?
    /// When it was allocated.
    public var allocated: Double?

    /// Creates a free address.
    public init(id: String, zoneId: String, address: String, gateway: String, netmask: String, vlan: String) {
        self.id = id
        self.zoneId = zoneId
        self.address = address
        self.gateway = gateway
        self.netmask = netmask
        self.vlan = vlan
        self.state = "Free"
        self.accountId = nil
        self.networkId = nil
        self.vpcId = nil
        self.isSourceNat = false
        self.staticNatVmId = nil
        self.allocated = nil
    }
}
