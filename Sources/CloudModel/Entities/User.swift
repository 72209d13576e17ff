/// A user of an account. The password is kept only as a salted PBKDF2 hash.
public struct User: Sendable, Hashable, Codable {
    /// UUID.
    public var id: String
    /// Account UUID.
    public var accountId: String
    /// The account's domain UUID (kept on the user so that a login name is unique per domain, as in CloudStack).
    public var domainId: String
    /// Login name (unique in its domain).
    public var username: String
    /// `pbkdf2-sha256$iterations$salt$hash`, base64 parts.
    public var passwordHash: String
    /// First name.
    public var firstname: String
    /// Last name.
    public var lastname: String
    /// E-mail.
    public var email: String
    /// API key, if registered.
    public var apiKey: String?
    /// Secret key, if registered, as stored: sealed (encrypted at rest) by the API's `SecretKeyCipher`, or clear
    /// text in a row written before encryption; never compare or return it without opening it.
    public var secretKey: String?
    /// `enabled` or `disabled`.
    public var state: String
    /// Creation time.
    public var created: Double

    /// Creates a user.
    public init(
        id: String,
        accountId: String,
        domainId: String,
        username: String,
        passwordHash: String,
        firstname: String,
        lastname: String,
        email: String,
        apiKey: String? = nil,
        secretKey: String? = nil,
        state: String = "enabled",
        created: Double
    ) {
        self.id = id
        self.accountId = accountId
        self.domainId = domainId
        self.username = username
        self.passwordHash = passwordHash
        self.firstname = firstname
        self.lastname = lastname
        self.email = email
        self.apiKey = apiKey
        self.secretKey = secretKey
        self.state = state
        self.created = created
    }
}
