import NIOCore
import ZooKeeperProtocol

/// The txn log file format (modelled on `FileTxnLog`).
///
/// A file `log.<16 hex digits of its first zxid>` starts with a 16-byte header: magic `ZSLG`, version int 1,
/// dbid long 0. Then entries, each: CRC-32 (uint32) of the payload, payload length (int32), the payload (the
/// `TxnHeader` then the txn, jute-encoded), and an end-of-record byte 0x42. A zero length, a short entry, a CRC
/// mismatch or a missing 0x42 ends the valid part of the log: recovery cuts the file there.
enum TxnLogFormat {
    static let magic: [UInt8] = Array("ZSLG".utf8)
    static let headerSize = 16
    static let endOfRecord: UInt8 = 0x42

    /// The file header.
    static func fileHeader() -> [UInt8] {
        var buffer = ByteBuffer()
        buffer.writeBytes(self.magic)
        buffer.writeJuteInt(1)
        buffer.writeJuteLong(0)
        return Array(buffer.readableBytesView)
    }

    /// Appends one entry.
    static func appendEntry(_ entry: LoggedTxn, to buffer: inout ByteBuffer) {
        var payload = ByteBuffer()
        entry.header.encode(to: &payload)
        entry.txn.encode(to: &payload)
        buffer.writeInteger(CRC32.checksum(payload.readableBytesView), endianness: .big, as: UInt32.self)
        buffer.writeJuteInt(Int32(payload.readableBytes))
        buffer.writeBuffer(&payload)
        buffer.writeInteger(self.endOfRecord)
    }

    /// The valid entries of a log file, and the byte length they take (where a torn or corrupt tail starts).
    static func readEntries(_ bytes: [UInt8]) -> (entries: [LoggedTxn], validLength: Int, headerValid: Bool) {
        guard bytes.count >= self.headerSize, Array(bytes[0..<4]) == self.magic else { return ([], 0, false) }
        var buffer = ByteBuffer(bytes: bytes)
        buffer.moveReaderIndex(forwardBy: self.headerSize)
        var entries: [LoggedTxn] = []
        var validLength = self.headerSize
        while buffer.readableBytes >= 8 {
            guard let crc = buffer.readInteger(endianness: .big, as: UInt32.self),
                let length = buffer.readInteger(endianness: .big, as: Int32.self),
                length > 0, Int(length) + 1 <= buffer.readableBytes,
                var payload = buffer.readSlice(length: Int(length)),
                buffer.readInteger(as: UInt8.self) == self.endOfRecord,
                CRC32.checksum(payload.readableBytesView) == crc
            else { break }
            guard let header = try? TxnHeader(from: &payload), let txn = try? Txn(from: &payload),
                payload.readableBytes == 0
            else { break }
            entries.append(LoggedTxn(header: header, txn: txn))
            validLength = buffer.readerIndex
        }
        return (entries, validLength, true)
    }

    /// `log.<16 hex digits>`.
    static func fileName(firstZxid: Int64) -> String { "log." + hex16(firstZxid) }
}

/// The snapshot file format (modelled on `FileSnap`): `snapshot.<16 hex digits of its zxid>`.
///
/// Magic `ZSSN`, version int 1, zxid long; the sessions (count, then id long, timeout int, password buffer); the
/// nodes (count, then path, data buffer, ACL vector and the nine `StatPersisted` fields), parents before
/// children; then a CRC-32 (uint32) of everything before it.
enum SnapshotFormat {
    static let magic: [UInt8] = Array("ZSSN".utf8)

    /// What a snapshot holds.
    struct Image: Sendable {
        var zxid: Int64
        var sessions: [(id: Int64, timeout: Int32, password: [UInt8])]
        var tree: DataTree
    }

    /// Serializes a snapshot.
    static func encode(_ image: Image) -> [UInt8] {
        var buffer = ByteBuffer()
        buffer.writeBytes(self.magic)
        buffer.writeJuteInt(1)
        buffer.writeJuteLong(image.zxid)
        buffer.writeJuteInt(Int32(image.sessions.count))
        for session in image.sessions {
            buffer.writeJuteLong(session.id)
            buffer.writeJuteInt(session.timeout)
            buffer.writeJuteBuffer(session.password)
        }
        // Sorted paths put every parent before its children.
        let paths = image.tree.nodes.keys.sorted()
        buffer.writeJuteInt(Int32(paths.count))
        for path in paths {
            guard let node = image.tree.nodes[path] else { continue }
            buffer.writeJuteString(path)
            buffer.writeJuteBuffer(node.data)
            buffer.writeJuteVector(node.acl)
            let s = node.stat
            for value in [s.czxid, s.mzxid, s.ctime, s.mtime] { buffer.writeJuteLong(value) }
            for value in [s.version, s.cversion, s.aversion] { buffer.writeJuteInt(value) }
            buffer.writeJuteLong(s.ephemeralOwner)
            buffer.writeJuteLong(s.pzxid)
        }
        buffer.writeInteger(CRC32.checksum(buffer.readableBytesView), endianness: .big, as: UInt32.self)
        return Array(buffer.readableBytesView)
    }

    /// Reads a snapshot; nil when it is truncated or its checksum fails.
    static func decode(_ bytes: [UInt8]) -> Image? {
        guard bytes.count >= 20, Array(bytes[0..<4]) == self.magic else { return nil }
        let body = bytes[0..<(bytes.count - 4)]
        let stored = bytes[(bytes.count - 4)...].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard CRC32.checksum(body) == stored else { return nil }
        var buffer = ByteBuffer(bytes: body)
        buffer.moveReaderIndex(forwardBy: 8)
        return try? self.decodeBody(&buffer)
    }

    private static func decodeBody(_ buffer: inout ByteBuffer) throws(JuteError) -> Image {
        let zxid = try buffer.readJuteLong()
        var sessions: [(id: Int64, timeout: Int32, password: [UInt8])] = []
        for _ in 0..<(try buffer.readJuteCount(minimumItemSize: 16) ?? 0) {
            sessions.append((try buffer.readJuteLong(), try buffer.readJuteInt(), try buffer.readJuteBuffer() ?? []))
        }
        var tree = DataTree()
        for _ in 0..<(try buffer.readJuteCount(minimumItemSize: 60) ?? 0) {
            let path = try buffer.readJuteNonNullString()
            let data = try buffer.readJuteBuffer()
            let acl = try buffer.readJuteACLs() ?? []
            let stat = StatPersisted(
                czxid: try buffer.readJuteLong(),
                mzxid: try buffer.readJuteLong(),
                ctime: try buffer.readJuteLong(),
                mtime: try buffer.readJuteLong(),
                version: try buffer.readJuteInt(),
                cversion: try buffer.readJuteInt(),
                aversion: try buffer.readJuteInt(),
                ephemeralOwner: try buffer.readJuteLong(),
                pzxid: try buffer.readJuteLong()
            )
            tree.restore(path: path, data: data, acl: acl, stat: stat)
        }
        tree.setLastProcessedZxid(zxid)
        return Image(zxid: zxid, sessions: sessions, tree: tree)
    }

    /// `snapshot.<16 hex digits>`.
    static func fileName(zxid: Int64) -> String { "snapshot." + hex16(zxid) }
}

/// Sixteen lowercase hex digits.
func hex16(_ value: Int64) -> String {
    let digits = String(UInt64(bitPattern: value), radix: 16)
    return String(repeating: "0", count: max(0, 16 - digits.count)) + digits
}
