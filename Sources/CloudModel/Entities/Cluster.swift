/// A cluster of hosts of one hypervisor type, with its overprovisioning factors.
public struct Cluster: Sendable, Hashable, Codable {
    /// UUID.
    public var id: String
    /// Display name.
    public var name: String
    /// The owning pod's UUID.
    public var podId: String
    /// The owning zone's UUID.
    public var zoneId: String
    /// The hypervisor, e.g. `Simulator`.
    public var hypervisor: String

    /// Creates a cluster.
    public init(id: String, name: String, podId: String, zoneId: String, hypervisor: String) {
        self.id = id
        self.name = name
        self.podId = podId
        self.zoneId = zoneId
        self.hypervisor = hypervisor
    }
}
