/// A pod inside a zone.
public struct Pod: Sendable, Hashable, Codable {
    /// UUID.
    public var id: String
    /// Display name.
    public var name: String
    /// The owning zone's UUID.
    public var zoneId: String
    /// The pod's gateway.
    public var gateway: String
    /// The pod's netmask.
    public var netmask: String

    /// Creates a pod.
    public init(id: String, name: String, zoneId: String, gateway: String, netmask: String) {
        self.id = id
        self.name = name
        self.zoneId = zoneId
        self.gateway = gateway
        self.netmask = netmask
    }
}
