import NIOCore

/// A frame whose announced length is negative or over the limit (`jute.maxbuffer`); the connection must close.
public struct FrameTooLargeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The announced length.
    public var length: Int32
    /// The limit in force.
    public var limit: Int
    public var description: String { "Packet len \(length) is out of range (limit \(limit))" }
}

/// Splits a byte stream into ZooKeeper frames: an int32 big-endian length, then that many bytes.
///
/// The length is checked against the limit *before* any body byte is read or buffered, as
/// `ClientCnxnSocket.readLength` and `NIOServerCnxn.readLength` do; a short read leaves the reader index where it
/// was.
public struct ZooKeeperFrameDecoder: NIOSingleStepByteToMessageDecoder {
    public typealias InboundOut = ByteBuffer

    /// The largest body accepted.
    public let maxFrameLength: Int

    /// Makes a decoder.
    /// - Parameter maxFrameLength: the largest body accepted (default `jute.maxbuffer`, 0xfffff).
    public init(maxFrameLength: Int = juteDefaultMaxBuffer) {
        self.maxFrameLength = maxFrameLength
    }

    /// Decodes one frame's body, if whole.
    /// - Parameter buffer: the bytes received so far.
    /// - Returns: a frame body, or nil to wait for more.
    /// - Throws: `FrameTooLargeError` for a negative or oversized length.
    public mutating func decode(buffer: inout ByteBuffer) throws -> ByteBuffer? {
        guard let length = buffer.getInteger(at: buffer.readerIndex, endianness: .big, as: Int32.self) else {
            return nil
        }
        guard length >= 0, Int(length) <= self.maxFrameLength else {
            throw FrameTooLargeError(length: length, limit: self.maxFrameLength)
        }
        guard buffer.readableBytes >= 4 + Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: 4)
        return buffer.readSlice(length: Int(length))
    }

    /// Decodes what is left at end of stream; a partial frame is dropped.
    /// - Parameters:
    ///   - buffer: the remaining bytes.
    ///   - seenEOF: whether the stream ended.
    /// - Returns: a frame, or nil.
    /// - Throws: `FrameTooLargeError` for a bad length.
    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> ByteBuffer? {
        try self.decode(buffer: &buffer)
    }
}

extension ByteBuffer {
    /// Appends a frame: a length prefix, then whatever `body` writes.
    /// - Parameter body: writes the frame's body.
    @inlinable
    public mutating func writeZooKeeperFrame(_ body: (inout ByteBuffer) -> Void) {
        let lengthIndex = self.writerIndex
        self.writeInteger(Int32(0))
        body(&self)
        self.setInteger(Int32(self.writerIndex - lengthIndex - 4), at: lengthIndex, endianness: .big)
    }

    /// Appends a request frame: header then record.
    /// - Parameters:
    ///   - header: the request header.
    ///   - record: the body.
    @inlinable
    public mutating func writeRequestFrame(_ header: RequestHeader, _ record: some JuteRecord) {
        self.writeZooKeeperFrame { buffer in
            header.encode(to: &buffer)
            record.encode(to: &buffer)
        }
    }

    /// Appends a reply frame: header, then the record when the header's err is OK.
    /// - Parameters:
    ///   - header: the reply header.
    ///   - record: the body, written only when `header.err` is OK.
    @inlinable
    public mutating func writeReplyFrame(_ header: ReplyHeader, _ record: (some JuteRecord)?) {
        self.writeZooKeeperFrame { buffer in
            header.encode(to: &buffer)
            if header.err == .ok, let record { record.encode(to: &buffer) }
        }
    }
}
