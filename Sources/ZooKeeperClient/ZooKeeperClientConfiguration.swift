import ZooKeeperProtocol

/// How a `ZooKeeperClient` connects: which servers, what session timeout, which chroot.
public struct ZooKeeperClientConfiguration: Sendable {
    /// One server address.
    public struct Server: Hashable, Sendable, CustomStringConvertible {
        /// Host name or address.
        public var host: String
        /// TCP port.
        public var port: Int
        /// Makes an address.
        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }
        public var description: String { "\(self.host):\(self.port)" }
    }

    /// An invalid connect string.
    public struct InvalidConnectString: Error, Hashable, Sendable, CustomStringConvertible {
        /// The text that was refused.
        public var connectString: String
        /// Why.
        public var reason: String
        public var description: String { "invalid connect string \"\(connectString)\": \(reason)" }
    }

    /// The servers, tried in turn.
    public var servers: [Server]
    /// The chroot every path is relative to (nil for none), e.g. `/zoostack`.
    public var chroot: String?
    /// The session timeout asked for; the server clamps it to [2, 20] x tickTime.
    public var sessionTimeout: Duration
    /// Whether to shuffle the server list before use, as Java's `StaticHostProvider` does.
    public var shuffleServers: Bool
    /// When the server says the session expired, start a new session instead of staying expired.
    /// Off by default: a caller that holds ephemeral nodes must learn that they are gone.
    public var reconnectWithNewSessionOnExpiry: Bool
    /// Credentials sent when the session starts and on every reconnect, as `addAuth` does.
    public var authInfo: [(scheme: String, auth: [UInt8])]
    /// The largest reply accepted (`jute.maxbuffer`).
    public var maxFrameLength: Int
    /// The ACL of every node created without an explicit one (as Curator's `ACLProvider`), so recipes built on the
    /// client protect their nodes too. Default `world:anyone` with every permission (`OPEN_ACL_UNSAFE`).
    public var defaultACL: [ACL]
    /// TLS to the servers' secure client port; nil (the default) speaks plain TCP.
    public var tls: ZooKeeperClientTLS?

    /// Makes a configuration from a ZooKeeper connect string: `host:port[,host:port...][/chroot]`.
    /// - Parameters:
    ///   - connectString: e.g. `127.0.0.1:2181,127.0.0.1:2182/app`; a port defaults to 2181.
    ///   - sessionTimeout: the session timeout to ask for.
    /// - Throws: `InvalidConnectString` when the string has no server, a bad port or a bad chroot.
    public init(connectString: String, sessionTimeout: Duration = .seconds(10)) throws {
        var hosts = Substring(connectString)
        var chroot: String?
        if let slash = connectString.firstIndex(of: "/") {
            hosts = connectString[..<slash]
            let root = String(connectString[slash...])
            if root != "/" {
                guard PathValidation.isValid(root) else {
                    throw InvalidConnectString(connectString: connectString, reason: "invalid chroot \(root)")
                }
                chroot = root
            }
        }
        var servers: [Server] = []
        for part in hosts.split(separator: ",") {
            let entry = part.trimmingSpaces()
            if entry.isEmpty { continue }
            var host = entry
            var port = 2181
            if let colon = entry.lastIndex(of: ":"), !entry.hasPrefix("[") || entry[..<colon].hasSuffix("]") {
                host = String(entry[..<colon])
                guard let p = Int(entry[entry.index(after: colon)...]), (1...65535).contains(p) else {
                    throw InvalidConnectString(connectString: connectString, reason: "bad port in \(entry)")
                }
                port = p
            }
            if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            servers.append(Server(host: host, port: port))
        }
        guard !servers.isEmpty else {
            throw InvalidConnectString(connectString: connectString, reason: "no server")
        }
        self.init(servers: servers, chroot: chroot, sessionTimeout: sessionTimeout)
    }

    /// Makes a configuration from parts.
    /// - Parameters:
    ///   - servers: the servers.
    ///   - chroot: a chroot, or nil.
    ///   - sessionTimeout: the session timeout to ask for.
    public init(servers: [Server], chroot: String? = nil, sessionTimeout: Duration = .seconds(10)) {
        self.servers = servers
        self.chroot = chroot
        self.sessionTimeout = sessionTimeout
        self.shuffleServers = true
        self.reconnectWithNewSessionOnExpiry = false
        self.authInfo = []
        self.maxFrameLength = juteDefaultMaxBuffer
        self.defaultACL = ACL.openUnsafe
        self.tls = nil
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> String {
        String(self.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
