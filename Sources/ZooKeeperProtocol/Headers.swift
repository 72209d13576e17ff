import NIOCore

/// The header of every request after the handshake (`proto.RequestHeader`).
public struct RequestHeader: JuteRecord, Hashable {
    /// The request id; replies echo it. Negative values are special (`SpecialXid`).
    public var xid: Int32
    /// The operation.
    public var type: OpCode

    /// Makes a header.
    /// - Parameters:
    ///   - xid: the request id.
    ///   - type: the operation.
    public init(xid: Int32, type: OpCode) {
        self.xid = xid
        self.type = type
    }

    /// Reads a header.
    /// - Parameter buffer: the bytes.
    /// - Throws: `JuteError` on a short buffer.
    public init(from buffer: inout ByteBuffer) throws(JuteError) {
        self.xid = try buffer.readJuteInt()
        self.type = OpCode(rawValue: try buffer.readJuteInt())
    }

    /// Writes a header.
    /// - Parameter buffer: where the bytes go.
    public func encode(to buffer: inout ByteBuffer) {
        buffer.writeJuteInt(self.xid)
        buffer.writeJuteInt(self.type.rawValue)
    }
}

/// The header of every reply and notification (`proto.ReplyHeader`, 16 bytes). A body follows only when `err` is 0.
public struct ReplyHeader: JuteRecord, Hashable {
    /// The request id answered, or a `SpecialXid`.
    public var xid: Int32
    /// The server's last processed zxid when it replied (-1 on notifications).
    public var zxid: Int64
    /// The result: `KeeperError.Code.ok` or an error.
    public var err: KeeperError.Code

    /// Makes a header.
    /// - Parameters:
    ///   - xid: the request id answered.
    ///   - zxid: the server's last zxid.
    ///   - err: the result code.
    public init(xid: Int32, zxid: Int64, err: KeeperError.Code) {
        self.xid = xid
        self.zxid = zxid
        self.err = err
    }

    /// Reads a header.
    /// - Parameter buffer: the bytes.
    /// - Throws: `JuteError` on a short buffer.
    public init(from buffer: inout ByteBuffer) throws(JuteError) {
        self.xid = try buffer.readJuteInt()
        self.zxid = try buffer.readJuteLong()
        self.err = KeeperError.Code(rawValue: try buffer.readJuteInt())
    }

    /// Writes a header.
    /// - Parameter buffer: where the bytes go.
    public func encode(to buffer: inout ByteBuffer) {
        buffer.writeJuteInt(self.xid)
        buffer.writeJuteLong(self.zxid)
        buffer.writeJuteInt(self.err.rawValue)
    }
}

/// The first frame a client sends (`proto.ConnectRequest`, plus the trailing readOnly byte of 3.4+).
public struct ConnectRequest: JuteRecord, Hashable {
    /// Always 0.
    public var protocolVersion: Int32
    /// The highest zxid the client has seen (0 for a new session).
    public var lastZxidSeen: Int64
    /// The requested session timeout, in milliseconds.
    public var timeOut: Int32
    /// The session to resume, or 0 for a new one.
    public var sessionId: Int64
    /// The session's password (16 zero bytes for a new session).
    public var passwd: [UInt8]
    /// Whether the client accepts a read-only server; nil when the client left the byte out.
    public var readOnly: Bool?

    /// Makes a connect request.
    public init(
        protocolVersion: Int32 = 0,
        lastZxidSeen: Int64 = 0,
        timeOut: Int32,
        sessionId: Int64 = 0,
        passwd: [UInt8] = [UInt8](repeating: 0, count: 16),
        readOnly: Bool? = false
    ) {
        self.protocolVersion = protocolVersion
        self.lastZxidSeen = lastZxidSeen
        self.timeOut = timeOut
        self.sessionId = sessionId
        self.passwd = passwd
        self.readOnly = readOnly
    }

    /// Reads a connect request; the readOnly byte is optional, as the server reads it inside a try.
    /// - Parameter buffer: the bytes.
    /// - Throws: `JuteError` on malformed bytes.
    public init(from buffer: inout ByteBuffer) throws(JuteError) {
        self.protocolVersion = try buffer.readJuteInt()
        self.lastZxidSeen = try buffer.readJuteLong()
        self.timeOut = try buffer.readJuteInt()
        self.sessionId = try buffer.readJuteLong()
        self.passwd = try buffer.readJuteBuffer() ?? []
        self.readOnly = buffer.readableBytes > 0 ? try buffer.readJuteBool() : nil
    }

    /// Writes a connect request.
    /// - Parameter buffer: where the bytes go.
    public func encode(to buffer: inout ByteBuffer) {
        buffer.writeJuteInt(self.protocolVersion)
        buffer.writeJuteLong(self.lastZxidSeen)
        buffer.writeJuteInt(self.timeOut)
        buffer.writeJuteLong(self.sessionId)
        buffer.writeJuteBuffer(self.passwd)
        if let readOnly = self.readOnly { buffer.writeJuteBool(readOnly) }
    }
}

/// The server's answer to a ConnectRequest (`proto.ConnectResponse`). `timeOut <= 0` means the session is gone.
public struct ConnectResponse: JuteRecord, Hashable {
    /// Always 0.
    public var protocolVersion: Int32
    /// The negotiated session timeout, in milliseconds; 0 when the session is expired or unknown.
    public var timeOut: Int32
    /// The session id; 0 when the session is expired or unknown.
    public var sessionId: Int64
    /// The session's password.
    public var passwd: [UInt8]
    /// Whether the server is read-only; nil when the server left the byte out.
    public var readOnly: Bool?

    /// Makes a connect response.
    public init(
        protocolVersion: Int32 = 0,
        timeOut: Int32,
        sessionId: Int64,
        passwd: [UInt8],
        readOnly: Bool? = false
    ) {
        self.protocolVersion = protocolVersion
        self.timeOut = timeOut
        self.sessionId = sessionId
        self.passwd = passwd
        self.readOnly = readOnly
    }

    /// Reads a connect response; the readOnly byte is optional.
    /// - Parameter buffer: the bytes.
    /// - Throws: `JuteError` on malformed bytes.
    public init(from buffer: inout ByteBuffer) throws(JuteError) {
        self.protocolVersion = try buffer.readJuteInt()
        self.timeOut = try buffer.readJuteInt()
        self.sessionId = try buffer.readJuteLong()
        self.passwd = try buffer.readJuteBuffer() ?? []
        self.readOnly = buffer.readableBytes > 0 ? try buffer.readJuteBool() : nil
    }

    /// Writes a connect response.
    /// - Parameter buffer: where the bytes go.
    public func encode(to buffer: inout ByteBuffer) {
        buffer.writeJuteInt(self.protocolVersion)
        buffer.writeJuteInt(self.timeOut)
        buffer.writeJuteLong(self.sessionId)
        buffer.writeJuteBuffer(self.passwd)
        if let readOnly = self.readOnly { buffer.writeJuteBool(readOnly) }
    }

    /// Whether this response says the session expired (or was never known).
    public var isExpired: Bool { self.timeOut <= 0 }
}

/// The header before each op of a multi request and each result of its reply (`proto.MultiHeader`).
public struct MultiHeader: JuteRecord, Hashable {
    /// The op type (-1 for an error result or the terminator).
    public var type: OpCode
    /// True only on the terminator.
    public var done: Bool
    /// -1 in requests; the result code in replies.
    public var err: Int32

    /// Makes a multi header.
    public init(type: OpCode, done: Bool, err: Int32) {
        self.type = type
        self.done = done
        self.err = err
    }

    /// Reads a multi header.
    /// - Parameter buffer: the bytes.
    /// - Throws: `JuteError` on a short buffer.
    public init(from buffer: inout ByteBuffer) throws(JuteError) {
        self.type = OpCode(rawValue: try buffer.readJuteInt())
        self.done = try buffer.readJuteBool()
        self.err = try buffer.readJuteInt()
    }

    /// Writes a multi header.
    /// - Parameter buffer: where the bytes go.
    public func encode(to buffer: inout ByteBuffer) {
        buffer.writeJuteInt(self.type.rawValue)
        buffer.writeJuteBool(self.done)
        buffer.writeJuteInt(self.err)
    }

    /// The `{-1, true, -1}` that ends a multi request and reply.
    public static let terminator = MultiHeader(type: .error, done: true, err: -1)
}
