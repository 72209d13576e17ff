/// A role (CloudStack's `RoleVO`, table `roles`): a name, a role type (``Role``) and, for the roles an admin
/// creates, an ordered list of ``RolePermission`` rules. The three default roles (Root Admin, Domain Admin, User)
/// are rows too; they carry no rules and cannot be changed.
public struct RoleDefinition: Sendable, Hashable, Codable {
    /// UUID.
    public var id: String
    /// Name (CloudStack's role names are unique only with their type; ZooStack keeps them unique).
    public var name: String
    /// The role type: what an account of this role is (user, domain admin, root admin).
    public var roleType: Role
    /// Description.
    public var description: String
    /// `ENABLED` or `DISABLED`: a disabled role is not given to new accounts.
    public var state: String
    /// One of CloudStack's default roles.
    public var isDefault: Bool
    /// Visible to every admin (`true`) or to root admins only.
    public var isPublic: Bool
    /// Creation time.
    public var created: Double

    /// Creates a role.
    public init(
        id: String,
        name: String,
        roleType: Role,
        description: String,
        state: String = "ENABLED",
        isDefault: Bool = false,
        isPublic: Bool = true,
        created: Double
    ) {
        self.id = id
        self.name = name
        self.roleType = roleType
        self.description = description
        self.state = state
        self.isDefault = isDefault
        self.isPublic = isPublic
        self.created = created
    }
}

/// One rule of a role (CloudStack's `RolePermissionVO`, table `role_permissions`): an API name or a wildcard
/// pattern (`list*`), allowed or denied. A role's rules are checked in ``sortOrder``; the first that matches the
/// command decides (CloudStack's `DynamicRoleBasedAPIAccessChecker`).
public struct RolePermission: Sendable, Hashable, Codable {
    /// UUID.
    public var id: String
    /// The role's UUID.
    public var roleId: String
    /// The rule: letters, digits and `*` (any run of word characters).
    public var rule: String
    /// `allow` or `deny`.
    public var permission: String
    /// Description.
    public var description: String
    /// Position among the role's rules, from 0.
    public var sortOrder: Int

    /// Creates a rule.
    public init(id: String, roleId: String, rule: String, permission: String, description: String, sortOrder: Int) {
        self.id = id
        self.roleId = roleId
        self.rule = rule
        self.permission = permission
        self.description = description
        self.sortOrder = sortOrder
    }

    /// Whether `rule` is one CloudStack accepts (`Rule.validate`): API-name characters and `*` only.
    /// - Parameter rule: the rule as given.
    /// - Returns: whether it is valid.
    public static func isValidRule(_ rule: String) -> Bool {
        !rule.isEmpty
            && rule.unicodeScalars.allSatisfy {
                $0 == "*" || ($0.isASCII && $0.properties.isAlphabetic) || ("0"..."9").contains($0)
            }
    }

    /// Whether the rule matches a command's name: the whole name, each `*` standing for any run of characters.
    /// - Parameter command: the command's name.
    /// - Returns: whether it matches.
    public func matches(_ command: String) -> Bool {
        Self.glob(Array(self.rule), Array(command))
    }

    private static func glob(_ pattern: [Character], _ name: [Character]) -> Bool {
        var p = 0
        var n = 0
        var star: Int?
        var resume = 0
        while n < name.count {
            if p < pattern.count, pattern[p] != "*", pattern[p] == name[n] {
                p += 1
                n += 1
            } else if p < pattern.count, pattern[p] == "*" {
                star = p
                resume = n
                p += 1
            } else if let star {
                p = star + 1
                resume += 1
                n = resume
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }

    /// What ordered rules say about a command: the first matching rule's verdict, nil when none matches.
    /// - Parameters:
    ///   - rules: the role's rules in order.
    ///   - command: the command's name.
    /// - Returns: true (allowed), false (denied) or nil (no rule matches).
    public static func verdict(of rules: [RolePermission], for command: String) -> Bool? {
        guard let rule = rules.first(where: { $0.matches(command) }) else { return nil }
        return rule.permission == "allow"
    }
}
