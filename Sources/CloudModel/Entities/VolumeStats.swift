/// A real volume's last measured sizes (CloudStack's `volume_stats`), as its host's agent reported them for the
/// file; rendered by `listVolumes` as `virtualsize`, `physicalsize` and `utilization`.
public struct VolumeStats: Sendable, Hashable, Codable {
    /// The volume's id.
    public var id: String
    /// The size the guest sees, bytes.
    public var virtualSize: Int
    /// The bytes its file takes on the host.
    public var physicalSize: Int
    /// When it was measured, seconds since 1970.
    public var updated: Double

    /// Makes a value.
    public init(id: String, virtualSize: Int, physicalSize: Int, updated: Double) {
        self.id = id
        self.virtualSize = virtualSize
        self.physicalSize = physicalSize
        self.updated = updated
    }
}
