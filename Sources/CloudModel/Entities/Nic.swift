/// A VM's network interface with its address on a guest network.
public struct Nic: Sendable, Hashable, Codable {
    /// UUID.
    public var id: String
    /// VM UUID.
    public var vmId: String
    /// Network UUID.
    public var networkId: String
    /// The IPv4 address (unique per network).
    public var ipAddress: String
    /// Netmask.
    public var netmask: String
    /// Gateway.
    public var gateway: String
    /// MAC address.
    public var macAddress: String
    /// Default NIC of the VM.
    public var isDefault: Bool

    /// Creates a NIC.
    public init(
        id: String,
        vmId: String,
        networkId: String,
        ipAddress: String,
        netmask: String,
        gateway: String,
        macAddress: String,
        isDefault: Bool
    ) {
        self.id = id
        self.vmId = vmId
        self.networkId = networkId
        self.ipAddress = ipAddress
        self.netmask = netmask
        self.gateway = gateway
        self.macAddress = macAddress
        self.isDefault = isDefault
    }
}
