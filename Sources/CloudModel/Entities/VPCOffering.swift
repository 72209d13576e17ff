/// A VPC offering: the services a VPC created from it provides and how its router is run.
public struct VPCOffering: Sendable, Hashable, Codable {
    /// UUID.
    public var id: String
    /// Unique name (`Default VPC offering`, `Redundant VPC offering`, ...).
    public var name: String
    /// Display text.
    public var displayText: String
    /// `Enabled` or `Disabled`; VPCs are created only from enabled offerings.
    public var state: String
    /// Whether this is one of the seeded defaults (they cannot be deleted).
    public var isDefault: Bool
    /// Comma-separated services (`Dhcp,Dns,UserData,SourceNat,StaticNat,PortForwarding,Lb,NetworkACL,Vpn`).
    public var services: String
    /// Whether VPCs of this offering get a redundant router pair (CloudStack's `RedundantRouter` capability).
    public var redundantRouter: Bool
    /// Whether the router is distributed.
    public var distributedRouter: Bool
    /// Creation time.
    public var created: Double

    /// Creates an offering.
    public init(
        id: String,
        name: String,
        displayText: String,
        state: String = "Enabled",
        isDefault: Bool = false,
        services: String,
        redundantRouter: Bool = false,
        distributedRouter: Bool = false,
        created: Double
    ) {
        self.id = id
        self.name = name
        self.displayText = displayText
        self.state = state
        self.isDefault = isDefault
        self.services = services
        self.redundantRouter = redundantRouter
        self.distributedRouter = distributedRouter
        self.created = created
    }

    /// The services as a list.
    public var serviceList: [String] { self.services.split(separator: ",").map(String.init) }
}
