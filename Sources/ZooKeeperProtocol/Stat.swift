import NIOCore

/// A znode's metadata (`data.Stat`, 68 bytes on the wire).
public struct Stat: JuteRecord, Hashable {
    /// The zxid of the create.
    public var czxid: Int64
    /// The zxid of the last setData.
    public var mzxid: Int64
    /// Creation time, epoch milliseconds.
    public var ctime: Int64
    /// Last modification time, epoch milliseconds.
    public var mtime: Int64
    /// Number of data changes.
    public var version: Int32
    /// Number of child changes (creates + deletes as clients see it).
    public var cversion: Int32
    /// Number of ACL changes.
    public var aversion: Int32
    /// The owning session of an ephemeral node, else 0.
    public var ephemeralOwner: Int64
    /// Length of the data, in bytes.
    public var dataLength: Int32
    /// Number of children.
    public var numChildren: Int32
    /// The zxid of the last change to the children.
    public var pzxid: Int64

    /// Makes a Stat field by field.
    public init(
        czxid: Int64 = 0,
        mzxid: Int64 = 0,
        ctime: Int64 = 0,
        mtime: Int64 = 0,
        version: Int32 = 0,
        cversion: Int32 = 0,
        aversion: Int32 = 0,
        ephemeralOwner: Int64 = 0,
        dataLength: Int32 = 0,
        numChildren: Int32 = 0,
        pzxid: Int64 = 0
    ) {
        self.czxid = czxid
        self.mzxid = mzxid
        self.ctime = ctime
        self.mtime = mtime
        self.version = version
        self.cversion = cversion
        self.aversion = aversion
        self.ephemeralOwner = ephemeralOwner
        self.dataLength = dataLength
        self.numChildren = numChildren
        self.pzxid = pzxid
    }

    /// Reads a Stat.
    /// - Parameter buffer: the bytes.
    /// - Throws: `JuteError` on a short buffer.
    public init(from buffer: inout ByteBuffer) throws(JuteError) {
        self.czxid = try buffer.readJuteLong()
        self.mzxid = try buffer.readJuteLong()
        self.ctime = try buffer.readJuteLong()
        self.mtime = try buffer.readJuteLong()
        self.version = try buffer.readJuteInt()
        self.cversion = try buffer.readJuteInt()
        self.aversion = try buffer.readJuteInt()
        self.ephemeralOwner = try buffer.readJuteLong()
        self.dataLength = try buffer.readJuteInt()
        self.numChildren = try buffer.readJuteInt()
        self.pzxid = try buffer.readJuteLong()
    }

    /// Writes a Stat.
    /// - Parameter buffer: where the bytes go.
    public func encode(to buffer: inout ByteBuffer) {
        buffer.writeJuteLong(self.czxid)
        buffer.writeJuteLong(self.mzxid)
        buffer.writeJuteLong(self.ctime)
        buffer.writeJuteLong(self.mtime)
        buffer.writeJuteInt(self.version)
        buffer.writeJuteInt(self.cversion)
        buffer.writeJuteInt(self.aversion)
        buffer.writeJuteLong(self.ephemeralOwner)
        buffer.writeJuteInt(self.dataLength)
        buffer.writeJuteInt(self.numChildren)
        buffer.writeJuteLong(self.pzxid)
    }

    /// The size of a Stat on the wire.
    public static let encodedSize = 68
}
