/// A network offering: the guest type and the services networks created from it provide.
public struct NetworkOffering: Sendable, Hashable, Codable {
    /// UUID.
    public var id: String
    /// Unique name (`DefaultIsolatedNetworkOfferingWithSourceNatService`, ...).
    public var name: String
    /// Display text.
    public var displayText: String
    /// `Isolated`, `Shared` or `L2` (listed as CloudStack has them; ZooStack creates no L2 network).
    public var guestType: String
    /// Comma-separated services (`Dhcp,Dns,SourceNat,StaticNat,Firewall,PortForwarding,Lb,UserData`).
    public var services: String
    /// Whether networks of this offering may be VPC tiers.
    public var forVpc: Bool
    /// Whether this is one of the seeded defaults.
    public var isDefault: Bool
    /// `Enabled` or `Disabled`.
    public var state: String
    /// Whether egress is allowed unless a rule says otherwise.
    public var egressDefaultPolicy: Bool
    /// Whether a shared network of this offering takes specified IP ranges.
    public var specifyIpRanges: Bool
    /// Creation time.
    public var created: Double

    /// Creates an offering.
    public init(
        id: String,
        name: String,
        displayText: String,
        guestType: String,
        services: String,
        forVpc: Bool = false,
        isDefault: Bool = true,
        state: String = "Enabled",
        egressDefaultPolicy: Bool = true,
        specifyIpRanges: Bool = false,
        created: Double
    ) {
        self.id = id
        self.name = name
        self.displayText = displayText
        self.guestType = guestType
        self.services = services
        self.forVpc = forVpc
        self.isDefault = isDefault
        self.state = state
        self.egressDefaultPolicy = egressDefaultPolicy
        self.specifyIpRanges = specifyIpRanges
        self.created = created
    }

    /// The services as a list.
    public var serviceList: [String] { self.services.split(separator: ",").map(String.init) }

    /// Whether networks of this offering provide `service`.
    public func provides(_ service: String) -> Bool { self.serviceList.contains(service) }
}
