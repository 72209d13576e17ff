import NIOCore

/// setWatches (101) and setWatches2 (105) requests (`proto.SetWatches`, `proto.SetWatches2`).
///
/// Sent while priming a reconnected session: the server fires, at once, each watch whose node changed after
/// `relativeZxid`, and re-registers the rest.
public struct SetWatchesRequest: JuteRecord, Hashable {
    /// The last zxid the client saw.
    public var relativeZxid: Int64
    /// Paths with data watches.
    public var dataWatches: [String]
    /// Paths with exist watches (nodes that did not exist).
    public var existWatches: [String]
    /// Paths with child watches.
    public var childWatches: [String]
    /// Paths with persistent watches (setWatches2 only; nil encodes setWatches).
    public var persistentWatches: [String]?
    /// Paths with persistent recursive watches (setWatches2 only).
    public var persistentRecursiveWatches: [String]?

    /// Makes the request; pass the persistent lists to make a setWatches2.
    public init(
        relativeZxid: Int64,
        dataWatches: [String],
        existWatches: [String],
        childWatches: [String],
        persistentWatches: [String]? = nil,
        persistentRecursiveWatches: [String]? = nil
    ) {
        self.relativeZxid = relativeZxid
        self.dataWatches = dataWatches
        self.existWatches = existWatches
        self.childWatches = childWatches
        self.persistentWatches = persistentWatches
        self.persistentRecursiveWatches = persistentRecursiveWatches
    }

    /// Reads a setWatches or (when more bytes follow) setWatches2 request.
    /// - Parameter buffer: the bytes.
    /// - Throws: `JuteError` on malformed bytes.
    public init(from buffer: inout ByteBuffer) throws(JuteError) {
        self.relativeZxid = try buffer.readJuteLong()
        self.dataWatches = try buffer.readJuteStrings() ?? []
        self.existWatches = try buffer.readJuteStrings() ?? []
        self.childWatches = try buffer.readJuteStrings() ?? []
        if buffer.readableBytes > 0 {
            self.persistentWatches = try buffer.readJuteStrings() ?? []
            self.persistentRecursiveWatches = try buffer.readJuteStrings() ?? []
        } else {
            self.persistentWatches = nil
            self.persistentRecursiveWatches = nil
        }
    }

    /// Writes the request (setWatches2's layout when the persistent lists are set).
    /// - Parameter buffer: where the bytes go.
    public func encode(to buffer: inout ByteBuffer) {
        buffer.writeJuteLong(self.relativeZxid)
        buffer.writeJuteStrings(self.dataWatches)
        buffer.writeJuteStrings(self.existWatches)
        buffer.writeJuteStrings(self.childWatches)
        if self.persistentWatches != nil || self.persistentRecursiveWatches != nil {
            buffer.writeJuteStrings(self.persistentWatches ?? [])
            buffer.writeJuteStrings(self.persistentRecursiveWatches ?? [])
        }
    }

    /// The opcode this request goes out with.
    public var opCode: OpCode {
        self.persistentWatches != nil || self.persistentRecursiveWatches != nil ? .setWatches2 : .setWatches
    }

    /// The total number of paths.
    public var count: Int {
        self.dataWatches.count + self.existWatches.count + self.childWatches.count
            + (self.persistentWatches?.count ?? 0) + (self.persistentRecursiveWatches?.count ?? 0)
    }
}

/// addWatch (106) requests (`proto.AddWatchRequest`).
public struct AddWatchRequest: JuteRecord, Hashable {
    /// The node's path.
    public var path: String
    /// Persistent or persistent-recursive.
    public var mode: AddWatchMode

    /// Makes the request.
    public init(path: String, mode: AddWatchMode) {
        self.path = path
        self.mode = mode
    }

    /// Reads the request.
    /// - Parameter buffer: the bytes.
    /// - Throws: `JuteError` on malformed bytes.
    public init(from buffer: inout ByteBuffer) throws(JuteError) {
        self.path = try buffer.readJuteNonNullString()
        self.mode = AddWatchMode(rawValue: try buffer.readJuteInt())
    }

    /// Writes the request.
    /// - Parameter buffer: where the bytes go.
    public func encode(to buffer: inout ByteBuffer) {
        buffer.writeJuteString(self.path)
        buffer.writeJuteInt(self.mode.rawValue)
    }
}

/// removeWatches (18) and checkWatches (17) requests (`proto.RemoveWatchesRequest`, `CheckWatchesRequest`).
public struct RemoveWatchesRequest: JuteRecord, Hashable {
    /// The node's path.
    public var path: String
    /// Which watches.
    public var type: WatcherType

    /// Makes the request.
    public init(path: String, type: WatcherType) {
        self.path = path
        self.type = type
    }

    /// Reads the request.
    /// - Parameter buffer: the bytes.
    /// - Throws: `JuteError` on malformed bytes.
    public init(from buffer: inout ByteBuffer) throws(JuteError) {
        self.path = try buffer.readJuteNonNullString()
        self.type = WatcherType(rawValue: try buffer.readJuteInt())
    }

    /// Writes the request.
    /// - Parameter buffer: where the bytes go.
    public func encode(to buffer: inout ByteBuffer) {
        buffer.writeJuteString(self.path)
        buffer.writeJuteInt(self.type.rawValue)
    }
}

/// `proto.CheckWatchesRequest`.
public typealias CheckWatchesRequest = RemoveWatchesRequest
