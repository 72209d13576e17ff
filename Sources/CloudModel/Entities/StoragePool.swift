/// A primary storage pool.
public struct StoragePool: Sendable, Hashable, Codable {
    /// UUID.
    public var id: String
    /// Display name.
    public var name: String
    /// Zone UUID.
    public var zoneId: String
    /// Cluster UUID.
    public var clusterId: String
    /// Capacity in bytes.
    public var capacity: Int
    /// Bytes allocated to volumes.
    public var used: Int

    /// Creates a pool.
    public init(id: String, name: String, zoneId: String, clusterId: String, capacity: Int, used: Int = 0) {
        self.id = id
        self.name = name
        self.zoneId = zoneId
        self.clusterId = clusterId
        self.capacity = capacity
        self.used = used
    }
}
