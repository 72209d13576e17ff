/// An affinity group: the VMs in it run on one host (`host affinity`) or on different hosts
/// (`host anti-affinity`).
public struct AffinityGroup: Sendable, Hashable, Codable {
    /// UUID.
    public var id: String
    /// Name, unique within the account.
    public var name: String
    /// Description.
    public var description: String
    /// `host anti-affinity` or `host affinity`.
    public var type: String
    /// Owner.
    public var accountId: String
    /// Creation time.
    public var created: Double

    /// The types CloudStack offers (`listAffinityGroupTypes`).
    public static let types = ["host anti-affinity", "host affinity"]

    /// Creates a group.
    public init(id: String, name: String, description: String, type: String, accountId: String, created: Double) {
        self.id = id
        self.name = name
        self.description = description
        self.type = type
        self.accountId = accountId
        self.created = created
    }
}
