import NIOCore

/// A record of ZooKeeper's jute schema (`zookeeper.jute`) that can be written to and read from the wire.
///
/// Every record is symmetric: the client encodes requests and decodes responses, the server the reverse, so both
/// directions are implemented and round-trip tested.
public protocol JuteRecord: Sendable {
    /// Reads the record's fields, in schema order, from `buffer`.
    /// - Parameter buffer: the bytes; its reader index moves past the record.
    /// - Throws: `JuteError` when the bytes do not hold a whole, valid record.
    init(from buffer: inout ByteBuffer) throws(JuteError)

    /// Appends the record's fields, in schema order, to `buffer`.
    /// - Parameter buffer: where the bytes go.
    func encode(to buffer: inout ByteBuffer)
}

extension JuteRecord {
    /// Decodes a record that must take up all of `buffer`.
    /// - Parameter buffer: exactly one record's bytes.
    /// - Returns: the record.
    /// - Throws: `JuteError` on a malformed record or on bytes left over after it.
    public static func decodeWhole(_ buffer: ByteBuffer) throws(JuteError) -> Self {
        var buffer = buffer
        let record = try Self(from: &buffer)
        guard buffer.readableBytes == 0 else { throw JuteError(.leftoverBytes(buffer.readableBytes)) }
        return record
    }

    /// The record's bytes in a new buffer.
    /// - Parameter allocator: where the buffer comes from.
    /// - Returns: the encoded record.
    public func encoded(allocator: ByteBufferAllocator = ByteBufferAllocator()) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 64)
        self.encode(to: &buffer)
        return buffer
    }
}

/// A record with no fields (the body of a ping, closeSession, whoAmI request, and bare replies).
public struct EmptyRecord: JuteRecord, Hashable {
    /// Makes the empty record.
    public init() {}
    /// Reads nothing.
    /// - Parameter buffer: left as it is.
    public init(from buffer: inout ByteBuffer) throws(JuteError) {}
    /// Writes nothing.
    /// - Parameter buffer: left as it is.
    public func encode(to buffer: inout ByteBuffer) {}
}
