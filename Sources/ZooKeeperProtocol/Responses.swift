import NIOCore

/// A response of a path alone: create (1) and sync (9) (`proto.CreateResponse`, `proto.SyncResponse`).
public struct PathResponse: JuteRecord, Hashable {
    /// The path (for create, the actual name, with any sequence suffix).
    public var path: String

    /// Makes the response.
    public init(path: String) { self.path = path }

    /// Reads the response.
    /// - Parameter buffer: the bytes.
    /// - Throws: `JuteError` on malformed bytes.
    public init(from buffer: inout ByteBuffer) throws(JuteError) {
        self.path = try buffer.readJuteNonNullString()
    }

    /// Writes the response.
    /// - Parameter buffer: where the bytes go.
    public func encode(to buffer: inout ByteBuffer) {
        buffer.writeJuteString(self.path)
    }
}

/// `proto.CreateResponse`.
public typealias CreateResponse = PathResponse
/// `proto.SyncResponse`.
public typealias SyncResponse = PathResponse

/// create2 (15), createContainer (19) and createTTL (21) responses (`proto.Create2Response`).
public struct Create2Response: JuteRecord, Hashable {
    /// The actual name, with any sequence suffix.
    public var path: String
    /// The new node's Stat.
    public var stat: Stat

    /// Makes the response.
    public init(path: String, stat: Stat) {
        self.path = path
        self.stat = stat
    }

    /// Reads the response.
    /// - Parameter buffer: the bytes.
    /// - Throws: `JuteError` on malformed bytes.
    public init(from buffer: inout ByteBuffer) throws(JuteError) {
        self.path = try buffer.readJuteNonNullString()
        self.stat = try Stat(from: &buffer)
    }

    /// Writes the response.
    /// - Parameter buffer: where the bytes go.
    public func encode(to buffer: inout ByteBuffer) {
        buffer.writeJuteString(self.path)
        self.stat.encode(to: &buffer)
    }
}

/// A response of a Stat alone: exists (3), setData (5), setACL (7) (`ExistsResponse`, `SetDataResponse`, ...).
public struct StatResponse: JuteRecord, Hashable {
    /// The node's Stat.
    public var stat: Stat

    /// Makes the response.
    public init(stat: Stat) { self.stat = stat }

    /// Reads the response.
    /// - Parameter buffer: the bytes.
    /// - Throws: `JuteError` on malformed bytes.
    public init(from buffer: inout ByteBuffer) throws(JuteError) {
        self.stat = try Stat(from: &buffer)
    }

    /// Writes the response.
    /// - Parameter buffer: where the bytes go.
    public func encode(to buffer: inout ByteBuffer) {
        self.stat.encode(to: &buffer)
    }
}

/// getData (4) responses (`proto.GetDataResponse`).
public struct GetDataResponse: JuteRecord, Hashable {
    /// The data; nil when the node holds jute's null buffer.
    public var data: [UInt8]?
    /// The node's Stat.
    public var stat: Stat

    /// Makes the response.
    public init(data: [UInt8]?, stat: Stat) {
        self.data = data
        self.stat = stat
    }

    /// Reads the response.
    /// - Parameter buffer: the bytes.
    /// - Throws: `JuteError` on malformed bytes.
    public init(from buffer: inout ByteBuffer) throws(JuteError) {
        self.data = try buffer.readJuteBuffer()
        self.stat = try Stat(from: &buffer)
    }

    /// Writes the response.
    /// - Parameter buffer: where the bytes go.
    public func encode(to buffer: inout ByteBuffer) {
        buffer.writeJuteBuffer(self.data)
        self.stat.encode(to: &buffer)
    }
}

/// getACL (6) responses (`proto.GetACLResponse`).
public struct GetACLResponse: JuteRecord, Hashable {
    /// The ACL.
    public var acl: [ACL]
    /// The node's Stat.
    public var stat: Stat

    /// Makes the response.
    public init(acl: [ACL], stat: Stat) {
        self.acl = acl
        self.stat = stat
    }

    /// Reads the response.
    /// - Parameter buffer: the bytes.
    /// - Throws: `JuteError` on malformed bytes.
    public init(from buffer: inout ByteBuffer) throws(JuteError) {
        self.acl = try buffer.readJuteACLs() ?? []
        self.stat = try Stat(from: &buffer)
    }

    /// Writes the response.
    /// - Parameter buffer: where the bytes go.
    public func encode(to buffer: inout ByteBuffer) {
        buffer.writeJuteVector(self.acl)
        self.stat.encode(to: &buffer)
    }
}

/// getChildren (8) responses (`proto.GetChildrenResponse`); also getEphemerals' (`GetEphemeralsResponse`).
public struct StringsResponse: JuteRecord, Hashable {
    /// The names (children) or paths (ephemerals), in no particular order.
    public var strings: [String]

    /// Makes the response.
    public init(strings: [String]) { self.strings = strings }

    /// Reads the response.
    /// - Parameter buffer: the bytes.
    /// - Throws: `JuteError` on malformed bytes.
    public init(from buffer: inout ByteBuffer) throws(JuteError) {
        self.strings = try buffer.readJuteStrings() ?? []
    }

    /// Writes the response.
    /// - Parameter buffer: where the bytes go.
    public func encode(to buffer: inout ByteBuffer) {
        buffer.writeJuteStrings(self.strings)
    }
}

/// `proto.GetChildrenResponse`.
public typealias GetChildrenResponse = StringsResponse
/// `proto.GetEphemeralsResponse`.
public typealias GetEphemeralsResponse = StringsResponse

/// getChildren2 (12) responses (`proto.GetChildren2Response`).
public struct GetChildren2Response: JuteRecord, Hashable {
    /// The children's names.
    public var children: [String]
    /// The parent's Stat.
    public var stat: Stat

    /// Makes the response.
    public init(children: [String], stat: Stat) {
        self.children = children
        self.stat = stat
    }

    /// Reads the response.
    /// - Parameter buffer: the bytes.
    /// - Throws: `JuteError` on malformed bytes.
    public init(from buffer: inout ByteBuffer) throws(JuteError) {
        self.children = try buffer.readJuteStrings() ?? []
        self.stat = try Stat(from: &buffer)
    }

    /// Writes the response.
    /// - Parameter buffer: where the bytes go.
    public func encode(to buffer: inout ByteBuffer) {
        buffer.writeJuteStrings(self.children)
        self.stat.encode(to: &buffer)
    }
}

/// A response of one int: getAllChildrenNumber (104), addWatch (106) and multi error results
/// (`GetAllChildrenNumberResponse`, `ErrorResponse`).
public struct IntResponse: JuteRecord, Hashable {
    /// The number (descendants, or an error code).
    public var value: Int32

    /// Makes the response.
    public init(value: Int32) { self.value = value }

    /// Reads the response.
    /// - Parameter buffer: the bytes.
    /// - Throws: `JuteError` on malformed bytes.
    public init(from buffer: inout ByteBuffer) throws(JuteError) {
        self.value = try buffer.readJuteInt()
    }

    /// Writes the response.
    /// - Parameter buffer: where the bytes go.
    public func encode(to buffer: inout ByteBuffer) {
        buffer.writeJuteInt(self.value)
    }
}

/// One authenticated identity of a connection (`data.ClientInfo`).
public struct ClientInfo: JuteRecord, Hashable {
    /// The auth scheme (`digest`, `ip`, ...).
    public var authScheme: String
    /// The user within it.
    public var user: String

    /// Makes a client info.
    public init(authScheme: String, user: String) {
        self.authScheme = authScheme
        self.user = user
    }

    /// Reads a client info.
    /// - Parameter buffer: the bytes.
    /// - Throws: `JuteError` on malformed bytes.
    public init(from buffer: inout ByteBuffer) throws(JuteError) {
        self.authScheme = try buffer.readJuteNonNullString()
        self.user = try buffer.readJuteNonNullString()
    }

    /// Writes a client info.
    /// - Parameter buffer: where the bytes go.
    public func encode(to buffer: inout ByteBuffer) {
        buffer.writeJuteString(self.authScheme)
        buffer.writeJuteString(self.user)
    }
}

/// whoAmI (107) responses (`proto.WhoAmIResponse`).
public struct WhoAmIResponse: JuteRecord, Hashable {
    /// The connection's identities.
    public var clientInfo: [ClientInfo]

    /// Makes the response.
    public init(clientInfo: [ClientInfo]) { self.clientInfo = clientInfo }

    /// Reads the response.
    /// - Parameter buffer: the bytes.
    /// - Throws: `JuteError` on malformed bytes.
    public init(from buffer: inout ByteBuffer) throws(JuteError) {
        self.clientInfo = try buffer.readJuteVector(of: ClientInfo.self, minimumItemSize: 8) ?? []
    }

    /// Writes the response.
    /// - Parameter buffer: where the bytes go.
    public func encode(to buffer: inout ByteBuffer) {
        buffer.writeJuteVector(self.clientInfo)
    }
}

/// A watch notification (`proto.WatcherEvent`), sent with xid -1.
public struct WatcherEvent: JuteRecord, Hashable {
    /// What happened.
    public var type: EventType
    /// The session state (always SyncConnected from a server).
    public var state: KeeperState
    /// The node's path (absolute, including any chroot, on the wire).
    public var path: String

    /// Makes an event.
    public init(type: EventType, state: KeeperState, path: String) {
        self.type = type
        self.state = state
        self.path = path
    }

    /// Reads an event.
    /// - Parameter buffer: the bytes.
    /// - Throws: `JuteError` on malformed bytes.
    public init(from buffer: inout ByteBuffer) throws(JuteError) {
        self.type = EventType(rawValue: try buffer.readJuteInt())
        self.state = KeeperState(rawValue: try buffer.readJuteInt())
        self.path = try buffer.readJuteNonNullString()
    }

    /// Writes an event.
    /// - Parameter buffer: where the bytes go.
    public func encode(to buffer: inout ByteBuffer) {
        buffer.writeJuteInt(self.type.rawValue)
        buffer.writeJuteInt(self.state.rawValue)
        buffer.writeJuteString(self.path)
    }
}
