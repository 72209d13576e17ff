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

    /// Creates a zone.
    public init(id: String, name: String, networkType: String = "Advanced", allocationState: String = "Enabled") {
        self.id = id
        self.name = name
        self.networkType = networkType
        self.allocationState = allocationState
    }
}
