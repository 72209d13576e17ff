/// A project: a group of accounts sharing resources, which a project account (CloudStack's account type 5)
/// owns. Commands act on a project's resources through `projectid`.
public struct Project: Sendable, Hashable, Codable {
    /// UUID.
    public var id: String
    /// Name, unique within its domain.
    public var name: String
    /// Display text.
    public var displayText: String
    /// The domain UUID.
    public var domainId: String
    /// The project account's UUID: the owner of the project's resources.
    public var accountId: String
    /// The account that created (and administers) the project.
    public var ownerId: String
    /// `Active`, `Suspended` or `Disabled`.
    public var state: String
    /// Creation time.
    public var created: Double

    /// Creates a project.
    public init(
        id: String,
        name: String,
        displayText: String,
        domainId: String,
        accountId: String,
        ownerId: String,
        state: String = "Active",
        created: Double
    ) {
        self.id = id
        self.name = name
        self.displayText = displayText
        self.domainId = domainId
        self.accountId = accountId
        self.ownerId = ownerId
        self.state = state
        self.created = created
    }

    /// The name of a project's account (CloudStack's `PrjAcct-<name>-<id>` pattern).
    public static func accountName(project name: String, id: String) -> String {
        "PrjAcct-\(name)-\(id.prefix(8))"
    }

    /// Whether an account name is a project account's (a hint that saves a lookup; the project table decides).
    public static func isProjectAccountName(_ name: String) -> Bool { name.hasPrefix("PrjAcct-") }
}

/// A member of a project (`project_account`).
public struct ProjectMember: Sendable, Hashable, Codable {
    /// The project's UUID.
    public var projectId: String
    /// The member account's UUID.
    public var accountId: String
    /// `Admin` or `Regular`.
    public var role: String

    /// Creates a membership.
    public init(projectId: String, accountId: String, role: String) {
        self.projectId = projectId
        self.accountId = accountId
        self.role = role
    }
}
