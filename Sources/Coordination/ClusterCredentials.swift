import ZooKeeperClient
import ZooKeeperProtocol

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The one credential a ZooStack cluster shares between its management servers and agents: `user:password`.
///
/// In ZooKeeper it is a `digest` identity (``acl`` grants it everything, ``authInfo`` authenticates a session
/// as it), so anonymous clients can neither read nor write under ZooStack's root; on the agent protocol it is
/// the shared secret of the handshake between management servers and agents.
///
/// ```swift
/// let credentials = try ClusterCredentials.readOrCreate(path: "zoostack-data/cluster-credentials").credentials
/// var configuration = CoordinationConfiguration(connectString: ..., serverId: ..., address: ..., version: ...)
/// configuration.credentials = credentials
/// ```
///
/// The file form is one line, `user:password`, kept mode 0600: the same text `zoostack zk --auth digest:...` takes.
public struct ClusterCredentials: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The digest user.
    public let user: String
    /// The password (never printed by ``description``).
    public let password: String

    /// The user generated credentials get.
    public static let defaultUser = "zoostack"

    /// Makes credentials.
    /// - Parameters:
    ///   - user: the user: not empty, no `:`, no whitespace or control characters.
    ///   - password: the password: at least 16 characters, no whitespace or control characters.
    /// - Throws: `CoordinationError` `.invalidCredentials`.
    public init(user: String, password: String) throws(CoordinationError) {
        guard !user.isEmpty, !user.contains(":"), Self.isPrintable(user) else {
            throw CoordinationError(.invalidCredentials, "the cluster credentials' user must be a word without ':'")
        }
        guard password.count >= 16, Self.isPrintable(password) else {
            throw CoordinationError(
                .invalidCredentials,
                "the cluster credentials' password must be at least 16 printable characters without spaces"
            )
        }
        self.init(checked: user, password)
    }

    private init(checked user: String, _ password: String) {
        self.user = user
        self.password = password
    }

    /// Parses the file form, `user:password` (surrounding whitespace and a final newline are ignored).
    /// - Parameter text: the text.
    /// - Throws: `CoordinationError` `.invalidCredentials`.
    public init(parsing text: String) throws(CoordinationError) {
        // Foundation's `whitespacesAndNewlines`: Unicode's White_Space scalars and U+200B.
        let isSpace: (Unicode.Scalar) -> Bool = { $0.properties.isWhitespace || $0 == "\u{200B}" }
        let scalars = Substring(text).unicodeScalars.drop(while: isSpace)
        let end = scalars.lastIndex { !isSpace($0) }.map { scalars.index(after: $0) } ?? scalars.startIndex
        let line = String(scalars[..<end])
        guard let colon = line.firstIndex(of: ":") else {
            throw CoordinationError(.invalidCredentials, "the cluster credentials must have the form user:password")
        }
        try self.init(user: String(line[..<colon]), password: String(line[line.index(after: colon)...]))
    }

    /// New credentials with a random 256-bit password.
    /// - Returns: the credentials, for the user `zoostack`.
    public static func generate() -> ClusterCredentials {
        let user = Self.defaultUser
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let password = bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
        return ClusterCredentials(checked: user, password)
    }

    /// `user:password`, the file form and the secret's bytes.
    public var text: String { "\(self.user):\(self.password)" }

    /// The ZooKeeper identity, `digest:user:base64(sha1(user:password))`.
    public var digestId: Id { Id(scheme: "digest", id: DigestAuth.digestId(self.text)) }

    /// The ACL of every node ZooStack creates: everything for the cluster's identity, nothing for anyone else.
    public var acl: [ACL] { [ACL(perms: .all, id: self.digestId)] }

    /// What a ZooKeeper session adds to authenticate as the cluster (`addauth digest user:password`).
    public var authInfo: (scheme: String, auth: [UInt8]) { ("digest", Array(self.text.utf8)) }

    public var description: String { "ClusterCredentials(user: \(self.user), password: <redacted>)" }

    public var debugDescription: String { self.description }

    public var customMirror: Mirror { Mirror(self, children: ["user": self.user, "password": "<redacted>"]) }

    private static func isPrintable(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value != 0x7f }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - self.count)) + self
    }
}

extension ZooKeeperClientConfiguration {
    /// Makes a client configuration for a ZooStack session: with credentials, the session authenticates as the
    /// cluster and creates every node with the cluster's ACL; after an expiry it starts a new session (its owner
    /// registers again).
    /// - Parameters:
    ///   - connectString: the connect string.
    ///   - sessionTimeout: the session timeout.
    ///   - credentials: the cluster's credentials, or nil for open nodes.
    ///   - tls: TLS to the ensemble's secure client port, or nil for plain TCP.
    /// - Returns: the configuration.
    /// - Throws: `InvalidConnectString`.
    public static func zooStack(
        connectString: String,
        sessionTimeout: Duration,
        credentials: ClusterCredentials?,
        tls: ZooKeeperClientTLS? = nil
    ) throws -> ZooKeeperClientConfiguration {
        var configuration = try ZooKeeperClientConfiguration(
            connectString: connectString,
            sessionTimeout: sessionTimeout
        )
        configuration.reconnectWithNewSessionOnExpiry = true
        configuration.tls = tls
        if let credentials {
            configuration.authInfo = [credentials.authInfo]
            configuration.defaultACL = credentials.acl
        }
        return configuration
    }
}
