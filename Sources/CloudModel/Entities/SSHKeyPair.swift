/// A registered SSH public key, unique by name within its account.
public struct SSHKeyPair: Sendable, Hashable, Codable {
    /// UUID.
    public var id: String
    /// Name.
    public var name: String
    /// Owner.
    public var accountId: String
    /// The public key in OpenSSH format (`ssh-rsa AAAA...`).
    public var publicKey: String
    /// MD5 fingerprint of the key blob, colon-separated hex.
    public var fingerprint: String
    /// Creation time.
    public var created: Double

    /// Creates a key pair record.
    public init(id: String, name: String, accountId: String, publicKey: String, fingerprint: String, created: Double) {
        self.id = id
        self.name = name
        self.accountId = accountId
        self.publicKey = publicKey
        self.fingerprint = fingerprint
        self.created = created
    }
}
