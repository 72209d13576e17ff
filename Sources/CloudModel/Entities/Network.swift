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

    /// Creates a network.
    public init(
        id: String,
        name: String,
        zoneId: String,
        gateway: String,
        netmask: String,
        startIp: String,
        endIp: String
    ) {
        self.id = id
        self.name = name
        self.zoneId = zoneId
        self.gateway = gateway
        self.netmask = netmask
        self.startIp = startIp
        self.endIp = endIp
    }
}
