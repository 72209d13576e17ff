import NIOCore

/// An identity in an ACL (`data.Id`): a scheme and an id within it.
public struct Id: JuteRecord, Hashable {
    /// The scheme: `world`, `auth`, `digest`, `ip`, `super`, `sasl`, `x509`.
    public var scheme: String
    /// The id: `anyone`, `user:base64(sha1(user:password))`, an address or CIDR, ...
    public var id: String

    /// Makes an id.
    /// - Parameters:
    ///   - scheme: the scheme.
    ///   - id: the id within the scheme.
    public init(scheme: String, id: String) {
        self.scheme = scheme
        self.id = id
    }

    /// Reads an Id.
    /// - Parameter buffer: the bytes.
    /// - Throws: `JuteError` on malformed bytes.
    public init(from buffer: inout ByteBuffer) throws(JuteError) {
        self.scheme = try buffer.readJuteNonNullString()
        self.id = try buffer.readJuteNonNullString()
    }

    /// Writes an Id.
    /// - Parameter buffer: where the bytes go.
    public func encode(to buffer: inout ByteBuffer) {
        buffer.writeJuteString(self.scheme)
        buffer.writeJuteString(self.id)
    }

    /// `world:anyone`.
    public static let anyone = Id(scheme: "world", id: "anyone")
    /// `auth:` — whatever identities the creating connection has authenticated.
    public static let authIds = Id(scheme: "auth", id: "")
}

/// One ACL entry (`data.ACL`): permissions granted to an identity.
public struct ACL: JuteRecord, Hashable {
    /// The permissions granted.
    public var perms: Permissions
    /// To whom.
    public var id: Id

    /// Makes an entry.
    /// - Parameters:
    ///   - perms: the permissions.
    ///   - id: the identity.
    public init(perms: Permissions, id: Id) {
        self.perms = perms
        self.id = id
    }

    /// Reads an ACL entry.
    /// - Parameter buffer: the bytes.
    /// - Throws: `JuteError` on malformed bytes.
    public init(from buffer: inout ByteBuffer) throws(JuteError) {
        self.perms = Permissions(rawValue: try buffer.readJuteInt())
        self.id = try Id(from: &buffer)
    }

    /// Writes an ACL entry.
    /// - Parameter buffer: where the bytes go.
    public func encode(to buffer: inout ByteBuffer) {
        buffer.writeJuteInt(self.perms.rawValue)
        self.id.encode(to: &buffer)
    }

    /// `ZooDefs.Ids.OPEN_ACL_UNSAFE`: everything for everyone.
    public static let openUnsafe: [ACL] = [ACL(perms: .all, id: .anyone)]
    /// `ZooDefs.Ids.CREATOR_ALL_ACL`: everything for the creator's authenticated ids.
    public static let creatorAll: [ACL] = [ACL(perms: .all, id: .authIds)]
    /// `ZooDefs.Ids.READ_ACL_UNSAFE`: read for everyone.
    public static let readUnsafe: [ACL] = [ACL(perms: .read, id: .anyone)]
}

extension ByteBuffer {
    /// Reads a vector of ACL entries (each at least 12 bytes).
    @inlinable
    package mutating func readJuteACLs() throws(JuteError) -> [ACL]? {
        try self.readJuteVector(of: ACL.self, minimumItemSize: 12)
    }
}
