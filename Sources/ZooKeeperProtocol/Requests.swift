import NIOCore

/// create (1), create2 (15) and createContainer (19) requests (`proto.CreateRequest`).
public struct CreateRequest: JuteRecord, Hashable {
    /// The node's path (without the sequence suffix).
    public var path: String
    /// The node's data; nil is jute's null buffer.
    public var data: [UInt8]?
    /// The node's ACL.
    public var acl: [ACL]
    /// The create mode.
    public var flags: CreateMode

    /// Makes a create request.
    public init(path: String, data: [UInt8]?, acl: [ACL], flags: CreateMode) {
        self.path = path
        self.data = data
        self.acl = acl
        self.flags = flags
    }

    /// Reads a create request.
    /// - Parameter buffer: the bytes.
    /// - Throws: `JuteError` on malformed bytes.
    public init(from buffer: inout ByteBuffer) throws(JuteError) {
        self.path = try buffer.readJuteNonNullString()
        self.data = try buffer.readJuteBuffer()
        self.acl = try buffer.readJuteACLs() ?? []
        self.flags = CreateMode(rawValue: try buffer.readJuteInt())
    }

    /// Writes a create request.
    /// - Parameter buffer: where the bytes go.
    public func encode(to buffer: inout ByteBuffer) {
        buffer.writeJuteString(self.path)
        buffer.writeJuteBuffer(self.data)
        buffer.writeJuteVector(self.acl)
        buffer.writeJuteInt(self.flags.rawValue)
    }
}

/// createTTL (21) requests (`proto.CreateTTLRequest`).
public struct CreateTTLRequest: JuteRecord, Hashable {
    /// The node's path.
    public var path: String
    /// The node's data.
    public var data: [UInt8]?
    /// The node's ACL.
    public var acl: [ACL]
    /// The create mode (a TTL mode).
    public var flags: CreateMode
    /// Milliseconds without change (and without children) after which the server removes the node.
    public var ttl: Int64

    /// Makes a createTTL request.
    public init(path: String, data: [UInt8]?, acl: [ACL], flags: CreateMode, ttl: Int64) {
        self.path = path
        self.data = data
        self.acl = acl
        self.flags = flags
        self.ttl = ttl
    }

    /// Reads a createTTL request.
    /// - Parameter buffer: the bytes.
    /// - Throws: `JuteError` on malformed bytes.
    public init(from buffer: inout ByteBuffer) throws(JuteError) {
        self.path = try buffer.readJuteNonNullString()
        self.data = try buffer.readJuteBuffer()
        self.acl = try buffer.readJuteACLs() ?? []
        self.flags = CreateMode(rawValue: try buffer.readJuteInt())
        self.ttl = try buffer.readJuteLong()
    }

    /// Writes a createTTL request.
    /// - Parameter buffer: where the bytes go.
    public func encode(to buffer: inout ByteBuffer) {
        buffer.writeJuteString(self.path)
        buffer.writeJuteBuffer(self.data)
        buffer.writeJuteVector(self.acl)
        buffer.writeJuteInt(self.flags.rawValue)
        buffer.writeJuteLong(self.ttl)
    }
}

/// A request of a path and a version: delete (2) and check (13) (`DeleteRequest`, `CheckVersionRequest`).
public struct PathAndVersionRequest: JuteRecord, Hashable {
    /// The node's path.
    public var path: String
    /// The expected version, or -1 for any.
    public var version: Int32

    /// Makes the request.
    public init(path: String, version: Int32) {
        self.path = path
        self.version = version
    }

    /// Reads the request.
    /// - Parameter buffer: the bytes.
    /// - Throws: `JuteError` on malformed bytes.
    public init(from buffer: inout ByteBuffer) throws(JuteError) {
        self.path = try buffer.readJuteNonNullString()
        self.version = try buffer.readJuteInt()
    }

    /// Writes the request.
    /// - Parameter buffer: where the bytes go.
    public func encode(to buffer: inout ByteBuffer) {
        buffer.writeJuteString(self.path)
        buffer.writeJuteInt(self.version)
    }
}

/// `proto.DeleteRequest`.
public typealias DeleteRequest = PathAndVersionRequest
/// `proto.CheckVersionRequest`.
public typealias CheckVersionRequest = PathAndVersionRequest

/// A request of a path and a watch flag: exists (3), getData (4), getChildren (8), getChildren2 (12).
public struct PathAndWatchRequest: JuteRecord, Hashable {
    /// The node's path.
    public var path: String
    /// Whether to leave a one-shot watch.
    public var watch: Bool

    /// Makes the request.
    public init(path: String, watch: Bool) {
        self.path = path
        self.watch = watch
    }

    /// Reads the request.
    /// - Parameter buffer: the bytes.
    /// - Throws: `JuteError` on malformed bytes.
    public init(from buffer: inout ByteBuffer) throws(JuteError) {
        self.path = try buffer.readJuteNonNullString()
        self.watch = try buffer.readJuteBool()
    }

    /// Writes the request.
    /// - Parameter buffer: where the bytes go.
    public func encode(to buffer: inout ByteBuffer) {
        buffer.writeJuteString(self.path)
        buffer.writeJuteBool(self.watch)
    }
}

/// `proto.ExistsRequest`.
public typealias ExistsRequest = PathAndWatchRequest
/// `proto.GetDataRequest`.
public typealias GetDataRequest = PathAndWatchRequest
/// `proto.GetChildrenRequest` and `GetChildren2Request`.
public typealias GetChildrenRequest = PathAndWatchRequest

/// A request of a path alone: getACL (6), sync (9), getEphemerals (103), getAllChildrenNumber (104).
public struct PathRequest: JuteRecord, Hashable {
    /// The node's path (for getEphemerals, a prefix).
    public var path: String

    /// Makes the request.
    public init(path: String) { self.path = path }

    /// Reads the request.
    /// - Parameter buffer: the bytes.
    /// - Throws: `JuteError` on malformed bytes.
    public init(from buffer: inout ByteBuffer) throws(JuteError) {
        self.path = try buffer.readJuteNonNullString()
    }

    /// Writes the request.
    /// - Parameter buffer: where the bytes go.
    public func encode(to buffer: inout ByteBuffer) {
        buffer.writeJuteString(self.path)
    }
}

/// `proto.GetACLRequest`.
public typealias GetACLRequest = PathRequest
/// `proto.SyncRequest`; its response is the same record, `proto.SyncResponse`.
public typealias SyncRequest = PathRequest
/// `proto.GetEphemeralsRequest` (prefixPath).
public typealias GetEphemeralsRequest = PathRequest
/// `proto.GetAllChildrenNumberRequest`.
public typealias GetAllChildrenNumberRequest = PathRequest

/// setData (5) requests (`proto.SetDataRequest`).
public struct SetDataRequest: JuteRecord, Hashable {
    /// The node's path.
    public var path: String
    /// The new data.
    public var data: [UInt8]?
    /// The expected version, or -1 for any.
    public var version: Int32

    /// Makes the request.
    public init(path: String, data: [UInt8]?, version: Int32) {
        self.path = path
        self.data = data
        self.version = version
    }

    /// Reads the request.
    /// - Parameter buffer: the bytes.
    /// - Throws: `JuteError` on malformed bytes.
    public init(from buffer: inout ByteBuffer) throws(JuteError) {
        self.path = try buffer.readJuteNonNullString()
        self.data = try buffer.readJuteBuffer()
        self.version = try buffer.readJuteInt()
    }

    /// Writes the request.
    /// - Parameter buffer: where the bytes go.
    public func encode(to buffer: inout ByteBuffer) {
        buffer.writeJuteString(self.path)
        buffer.writeJuteBuffer(self.data)
        buffer.writeJuteInt(self.version)
    }
}

/// setACL (7) requests (`proto.SetACLRequest`).
public struct SetACLRequest: JuteRecord, Hashable {
    /// The node's path.
    public var path: String
    /// The new ACL.
    public var acl: [ACL]
    /// The expected ACL version (aversion), or -1 for any.
    public var version: Int32

    /// Makes the request.
    public init(path: String, acl: [ACL], version: Int32) {
        self.path = path
        self.acl = acl
        self.version = version
    }

    /// Reads the request.
    /// - Parameter buffer: the bytes.
    /// - Throws: `JuteError` on malformed bytes.
    public init(from buffer: inout ByteBuffer) throws(JuteError) {
        self.path = try buffer.readJuteNonNullString()
        self.acl = try buffer.readJuteACLs() ?? []
        self.version = try buffer.readJuteInt()
    }

    /// Writes the request.
    /// - Parameter buffer: where the bytes go.
    public func encode(to buffer: inout ByteBuffer) {
        buffer.writeJuteString(self.path)
        buffer.writeJuteVector(self.acl)
        buffer.writeJuteInt(self.version)
    }
}

/// auth (100) packets (`proto.AuthPacket`), sent with xid -4.
public struct AuthPacket: JuteRecord, Hashable {
    /// Always 0.
    public var type: Int32
    /// The scheme, e.g. `digest`.
    public var scheme: String
    /// The credentials, e.g. `user:password` for digest.
    public var auth: [UInt8]

    /// Makes an auth packet.
    public init(type: Int32 = 0, scheme: String, auth: [UInt8]) {
        self.type = type
        self.scheme = scheme
        self.auth = auth
    }

    /// Reads an auth packet.
    /// - Parameter buffer: the bytes.
    /// - Throws: `JuteError` on malformed bytes.
    public init(from buffer: inout ByteBuffer) throws(JuteError) {
        self.type = try buffer.readJuteInt()
        self.scheme = try buffer.readJuteNonNullString()
        self.auth = try buffer.readJuteBuffer() ?? []
    }

    /// Writes an auth packet.
    /// - Parameter buffer: where the bytes go.
    public func encode(to buffer: inout ByteBuffer) {
        buffer.writeJuteInt(self.type)
        buffer.writeJuteString(self.scheme)
        buffer.writeJuteBuffer(self.auth)
    }
}

/// reconfig (16) requests (`proto.ReconfigRequest`).
public struct ReconfigRequest: JuteRecord, Hashable {
    /// Servers to add, comma separated.
    public var joiningServers: String?
    /// Server ids to remove, comma separated.
    public var leavingServers: String?
    /// A whole new membership, comma separated.
    public var newMembers: String?
    /// The config version the change applies to, or -1.
    public var curConfigId: Int64

    /// Makes the request.
    public init(joiningServers: String?, leavingServers: String?, newMembers: String?, curConfigId: Int64) {
        self.joiningServers = joiningServers
        self.leavingServers = leavingServers
        self.newMembers = newMembers
        self.curConfigId = curConfigId
    }

    /// Reads the request.
    /// - Parameter buffer: the bytes.
    /// - Throws: `JuteError` on malformed bytes.
    public init(from buffer: inout ByteBuffer) throws(JuteError) {
        self.joiningServers = try buffer.readJuteString()
        self.leavingServers = try buffer.readJuteString()
        self.newMembers = try buffer.readJuteString()
        self.curConfigId = try buffer.readJuteLong()
    }

    /// Writes the request.
    /// - Parameter buffer: where the bytes go.
    public func encode(to buffer: inout ByteBuffer) {
        buffer.writeJuteString(self.joiningServers)
        buffer.writeJuteString(self.leavingServers)
        buffer.writeJuteString(self.newMembers)
        buffer.writeJuteLong(self.curConfigId)
    }
}
