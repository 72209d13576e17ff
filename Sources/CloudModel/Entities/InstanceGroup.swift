/// An instance group (CloudStack's `InstanceGroupVO`): a name an account gives a set of its VMs, for listing them
/// together. A VM is in at most one group.
public struct InstanceGroup: Sendable, Hashable, Codable {
    /// UUID.
    public var id: String
    /// Name, unique within the account (compared without case, as CloudStack's SQL compares it).
    public var name: String
    /// Owner.
    public var accountId: String
    /// Creation time.
    public var created: Double

    /// Creates a group.
    public init(id: String, name: String, accountId: String, created: Double) {
        self.id = id
        self.name = name
        self.accountId = accountId
        self.created = created
    }
}
