import CloudModel

/// The authenticated caller of a request.
public struct Caller: Sendable, Hashable {
    /// The user.
    public var user: User
    /// The user's account.
    public var account: Account

    /// Creates a caller.
    public init(user: User, account: Account) {
        self.user = user
        self.account = account
    }

    /// The account's role.
    public var role: Role { self.account.role }
    /// Whether the caller is an admin of some scope.
    public var isAdmin: Bool { self.role == .rootAdmin || self.role == .domainAdmin }
}
