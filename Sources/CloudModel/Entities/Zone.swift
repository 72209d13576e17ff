/// A zone: the top of the infrastructure tree (CloudStack's `DataCenterVO`).
public struct Zone: Sendable, Hashable, Codable {
    /// UUID.
    public var id: String
    /// Display name.
    public var name: String
    /// `Basic` or `Advanced`.
    public var networkType: String
    /// `Enabled` or `Disabled`.
    public var allocationState: String
    /// The first DNS server guests get (`dns1`).
    public var dns1: String?
    /// The second DNS server guests get (`dns2`).
    public var dns2: String?
    /// The first DNS server system VMs use (`internaldns1`).
    public var internalDns1: String?
    /// The second DNS server system VMs use (`internaldns2`).
    public var internalDns2: String?
    /// The network domain of the zone's guest networks (`domain`).
    public var domain: String?

    /// Creates a zone.
    public init(id: String, name: String, networkType: String = "Advanced", allocationState: String = "Enabled") {
        self.id = id
        self.name = name
        self.networkType = networkType
        self.allocationState = allocationState
    }
}
