/// A volume file's sizes (CloudStack's `VolumeStatsEntry`), as `GetVolumeStatsCommand` reports them by file name.
public struct AgentVolumeStats: Codable, Hashable, Sendable {
    /// The size the guest sees, in bytes (the qcow2 header's size; a raw file's length).
    public var virtualSize: Int64
    /// The bytes the file takes on the host's file system (allocated blocks).
    public var physicalSize: Int64

    /// Makes a value.
    public init(virtualSize: Int64, physicalSize: Int64) {
        self.virtualSize = virtualSize
        self.physicalSize = physicalSize
    }
}
