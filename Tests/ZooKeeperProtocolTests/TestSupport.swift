import NIOCore
import Testing
import ZooKeeperProtocol

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny seeded generator, so every fuzz run sees the same bytes.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { self.state = seed }

    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The bytes of a record's encoding.
func bytes(of record: some JuteRecord) -> [UInt8] {
    Array(buffer: record.encoded())
}

/// Builds exact wire bytes field by field (jute's `BinaryOutputArchive`, by hand), for golden tests.
struct Wire {
    var bytes: [UInt8] = []

    mutating func int(_ v: Int32) { self.bytes += withUnsafeBytes(of: v.bigEndian, Array.init) }
    mutating func long(_ v: Int64) { self.bytes += withUnsafeBytes(of: v.bigEndian, Array.init) }
    mutating func bool(_ v: Bool) { self.bytes.append(v ? 1 : 0) }
    mutating func string(_ s: String?) {
        guard let s else { return self.int(-1) }
        self.int(Int32(s.utf8.count))
        self.bytes += Array(s.utf8)
    }
    mutating func buffer(_ b: [UInt8]?) {
        guard let b else { return self.int(-1) }
        self.int(Int32(b.count))
        self.bytes += b
    }
}

/// Decodes `bytes` as one whole `R`.
func decodeWhole<R: JuteRecord>(_ type: R.Type, _ bytes: [UInt8]) throws(JuteError) -> R {
    try R.decodeWhole(ByteBuffer(bytes: bytes))
}

/// The kind of the JuteError `body` throws, or nil when it does not throw.
func juteErrorKind(_ body: () throws(JuteError) -> Void) -> JuteError.Kind? {
    do {
        try body()
        return nil
    } catch {
        return error.kind
    }
}

/// Sample values used across the suites.
enum Samples {
    static let stat = Stat(
        czxid: 0x0102_0304_0506_0708,
        mzxid: 0x1112_1314_1516_1718,
        ctime: 1_700_000_000_123,
        mtime: 1_700_000_999_456,
        version: 7,
        cversion: -2,
        aversion: 3,
        ephemeralOwner: 0x0100_0048_3FEB_0000,
        dataLength: 42,
        numChildren: 5,
        pzxid: -1
    )
    static let digestId = Id(scheme: "digest", id: "super:D/InIHSb7yEEbrWz8b9l71RjZJU=")
    static let acl: [ACL] = [
        ACL(perms: .all, id: .anyone),
        ACL(perms: [.read, .write], id: digestId),
        ACL(perms: .admin, id: Id(scheme: "ip", id: "10.0.0.0/8")),
    ]
    static let unicodePath = "/zoo/ünïcødé/日本語"
}

/// The kind of the JuteError that decoding `bytes` as one whole `R` throws, or nil when it decodes.
func decodeErrorKind<R: JuteRecord>(_ type: R.Type, _ bytes: [UInt8]) -> JuteError.Kind? {
    juteErrorKind { () throws(JuteError) in _ = try decodeWhole(type, bytes) }
}
