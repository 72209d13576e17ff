/// A disk offering.
public struct DiskOffering: Sendable, Hashable, Codable {
    /// UUID.
    public var id: String
    /// Name.
    public var name: String
    /// Display text.
    public var displayText: String
    /// Size in GiB (0 = custom).
    public var diskSize: Int
    /// Creation time.
    public var created: Double

    /// Creates an offering.
    public init(id: String, name: String, displayText: String, diskSize: Int, created: Double) {
        self.id = id
        self.name = name
        self.displayText = displayText
        self.diskSize = diskSize
        self.created = created
    }
}
