import NIOCore

/// An error decoding a jute record from bytes.
///
/// Mirrors the `IOException`s of Apache ZooKeeper's `BinaryInputArchive`: a short buffer, a negative or oversized
/// length, or bytes that are not UTF-8 where a `ustring` is expected.
public struct JuteError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Hashable, Sendable {
        /// The buffer ended in the middle of a field.
        case truncated
        /// A length prefix was negative (other than the -1 that means null) or larger than allowed.
        case invalidLength(Int32)
        /// A `ustring` was not valid UTF-8.
        case invalidUTF8
        /// A record was followed by bytes that belong to no field.
        case leftoverBytes(Int)
        /// A value that the record does not allow (an unknown enum value, say).
        case invalidValue(String)
    }

    /// What went wrong.
    public var kind: Kind

    /// Makes an error of the given kind.
    /// - Parameter kind: what went wrong.
    public init(_ kind: Kind) { self.kind = kind }

    public var description: String {
        switch self.kind {
        case .truncated: "jute: record truncated"
        case .invalidLength(let n): "jute: invalid length \(n)"
        case .invalidUTF8: "jute: string is not UTF-8"
        case .leftoverBytes(let n): "jute: \(n) unread bytes after record"
        case .invalidValue(let what): "jute: invalid value: \(what)"
        }
    }
}

/// The largest record length a jute length prefix may announce, `jute.maxbuffer`'s default (0xfffff).
public let juteDefaultMaxBuffer = 0xfffff

extension ByteBuffer {
    // MARK: writing (zookeeper-jute BinaryOutputArchive)

    /// Writes a jute `int`: 4 bytes big-endian.
    @inlinable
    package mutating func writeJuteInt(_ value: Int32) {
        self.writeInteger(value, endianness: .big)
    }

    /// Writes a jute `long`: 8 bytes big-endian.
    @inlinable
    package mutating func writeJuteLong(_ value: Int64) {
        self.writeInteger(value, endianness: .big)
    }

    /// Writes a jute `boolean`: one byte, 0 or 1.
    @inlinable
    package mutating func writeJuteBool(_ value: Bool) {
        self.writeInteger(value ? 1 : 0, as: UInt8.self)
    }

    /// Writes a jute `ustring`: an int length then UTF-8 bytes; nil is length -1.
    @inlinable
    package mutating func writeJuteString(_ value: String?) {
        guard let value else {
            self.writeJuteInt(-1)
            return
        }
        let lengthIndex = self.writerIndex
        self.writeJuteInt(0)
        let written = self.writeString(value)
        self.setInteger(Int32(written), at: lengthIndex, endianness: .big)
    }

    /// Writes a jute `buffer`: an int length then the bytes; nil is length -1.
    @inlinable
    package mutating func writeJuteBuffer(_ value: [UInt8]?) {
        guard let value else {
            self.writeJuteInt(-1)
            return
        }
        self.writeJuteInt(Int32(value.count))
        self.writeBytes(value)
    }

    /// Writes a jute `vector<ustring>`; nil is count -1.
    @inlinable
    package mutating func writeJuteStrings(_ values: [String]?) {
        guard let values else {
            self.writeJuteInt(-1)
            return
        }
        self.writeJuteInt(Int32(values.count))
        for value in values { self.writeJuteString(value) }
    }

    /// Writes a jute `vector` of records; nil is count -1.
    @inlinable
    package mutating func writeJuteVector<R: JuteRecord>(_ values: [R]?) {
        guard let values else {
            self.writeJuteInt(-1)
            return
        }
        self.writeJuteInt(Int32(values.count))
        for value in values { value.encode(to: &self) }
    }

    // MARK: reading (zookeeper-jute BinaryInputArchive)

    /// Reads a jute `int`.
    /// - Throws: `JuteError` `.truncated` when fewer than 4 bytes remain.
    @inlinable
    package mutating func readJuteInt() throws(JuteError) -> Int32 {
        guard let value = self.readInteger(endianness: .big, as: Int32.self) else { throw JuteError(.truncated) }
        return value
    }

    /// Reads a jute `long`.
    /// - Throws: `JuteError` `.truncated` when fewer than 8 bytes remain.
    @inlinable
    package mutating func readJuteLong() throws(JuteError) -> Int64 {
        guard let value = self.readInteger(endianness: .big, as: Int64.self) else { throw JuteError(.truncated) }
        return value
    }

    /// Reads a jute `boolean` (any non-zero byte is true, as Java's `readBoolean`).
    /// - Throws: `JuteError` `.truncated` when no byte remains.
    @inlinable
    package mutating func readJuteBool() throws(JuteError) -> Bool {
        guard let value = self.readInteger(as: UInt8.self) else { throw JuteError(.truncated) }
        return value != 0
    }

    /// Reads a jute length prefix and checks it against the bytes that remain.
    @inlinable
    package mutating func readJuteLength() throws(JuteError) -> Int? {
        let length = try self.readJuteInt()
        if length == -1 { return nil }
        guard length >= 0 else { throw JuteError(.invalidLength(length)) }
        guard Int(length) <= self.readableBytes else { throw JuteError(.truncated) }
        return Int(length)
    }

    /// Reads a jute `ustring`; length -1 is nil.
    /// - Throws: `JuteError` on a short buffer, a bad length or bytes that are not UTF-8.
    @inlinable
    package mutating func readJuteString() throws(JuteError) -> String? {
        guard let length = try self.readJuteLength() else { return nil }
        guard let string = self.readString(length: length) else { throw JuteError(.truncated) }
        return string
    }

    /// Reads a jute `ustring`, taking null as the empty string (kazoo writes "" as -1).
    /// - Throws: `JuteError` on a short buffer or a bad length.
    @inlinable
    package mutating func readJuteNonNullString() throws(JuteError) -> String {
        try self.readJuteString() ?? ""
    }

    /// Reads a jute `buffer`; length -1 is nil.
    /// - Throws: `JuteError` on a short buffer or a bad length.
    @inlinable
    package mutating func readJuteBuffer() throws(JuteError) -> [UInt8]? {
        guard let length = try self.readJuteLength() else { return nil }
        guard let bytes = self.readBytes(length: length) else { throw JuteError(.truncated) }
        return bytes
    }

    /// Reads a jute vector count, refusing counts that cannot fit in what remains (each item is at least
    /// `minimumItemSize` bytes).
    @inlinable
    package mutating func readJuteCount(minimumItemSize: Int) throws(JuteError) -> Int? {
        let count = try self.readJuteInt()
        if count == -1 { return nil }
        guard count >= 0 else { throw JuteError(.invalidLength(count)) }
        guard Int(count) * minimumItemSize <= self.readableBytes else { throw JuteError(.truncated) }
        return Int(count)
    }

    /// Reads a jute `vector<ustring>`; count -1 is nil.
    /// - Throws: `JuteError` on a short buffer or a bad length.
    @inlinable
    package mutating func readJuteStrings() throws(JuteError) -> [String]? {
        guard let count = try self.readJuteCount(minimumItemSize: 4) else { return nil }
        var result: [String] = []
        result.reserveCapacity(count)
        for _ in 0..<count { result.append(try self.readJuteNonNullString()) }
        return result
    }

    /// Reads a jute `vector` of records; count -1 is nil.
    /// - Throws: `JuteError` on a short buffer or a bad record.
    @inlinable
    package mutating func readJuteVector<R: JuteRecord>(
        of type: R.Type,
        minimumItemSize: Int = 1
    )
        throws(JuteError) -> [R]?
    {
        guard let count = try self.readJuteCount(minimumItemSize: minimumItemSize) else { return nil }
        var result: [R] = []
        result.reserveCapacity(count)
        for _ in 0..<count { result.append(try R(from: &self)) }
        return result
    }
}
