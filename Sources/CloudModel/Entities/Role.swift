/// The three built-in role types; the raw value is CloudStack's account type number.
public enum Role: Int, Sendable, Hashable, Codable, CaseIterable {
    /// A normal user.
    case user = 0
    /// The root administrator.
    case rootAdmin = 1
    /// A domain administrator.
    case domainAdmin = 2

    /// CloudStack's role-type name.
    public var typeName: String {
        switch self {
        case .user: "User"
        case .rootAdmin: "Admin"
        case .domainAdmin: "DomainAdmin"
        }
    }
}
