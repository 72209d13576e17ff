/// An account: the owner of resources.
public struct Account: Sendable, Hashable, Codable {
    /// UUID.
    public var id: String
    /// Account name.
    public var name: String
    /// Domain UUID.
    public var domainId: String
    /// Account type.
    public var role: Role
    /// `enabled` or `disabled`.
    public var state: String
    /// Creation time.
    public var created: Double
    /// The account's own role (a ``RoleDefinition``'s UUID); nil for its type's default role.
    public var roleId: String?

    /// Creates an account.
    public init(
        id: String,
        name: String,
        domainId: String,
        role: Role,
        state: String = "enabled",
        created: Double,
        roleId: String? = nil
    ) {
        self.id = id
        self.name = name
        self.domainId = domainId
        self.role = role
        self.state = state
        self.created = created
        self.roleId = roleId
    }
}
