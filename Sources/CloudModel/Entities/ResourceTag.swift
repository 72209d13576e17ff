/// A user tag on a resource (CloudStack's `resource_tags` row): a key and value on one resource of one type.
public struct ResourceTag: Sendable, Hashable, Codable {
    /// UUID.
    public var id: String
    /// The tag's key.
    public var key: String
    /// The tag's value.
    public var value: String
    /// The tagged resource's UUID.
    public var resourceId: String
    /// CloudStack's resource type name (`UserVm`, `Template`, ...).
    public var resourceType: String
    /// The account that owns the tagged resource.
    public var accountId: String
    /// The optional `customer` field of createTags.
    public var customer: String?
    /// Creation time.
    public var created: Double

    /// Creates a tag.
    public init(
        id: String,
        key: String,
        value: String,
        resourceId: String,
        resourceType: String,
        accountId: String,
        customer: String? = nil,
        created: Double
    ) {
        self.id = id
        self.key = key
        self.value = value
        self.resourceId = resourceId
        self.resourceType = resourceType
        self.accountId = accountId
        self.customer = customer
        self.created = created
    }
}
