import Crypto

/// A checksum as CloudStack's `registerTemplate`/`registerIso` take it (`DigestHelper`): `{ALGORITHM}hex`, the
/// algorithm one of `MD5`, `SHA-1`, `SHA-256`, `SHA-384`, `SHA-512` (any case), or plain hex, which is MD5.
///
/// ```swift
/// let expected = try Checksum(parsing: "{SHA-256}9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
/// var digest = expected.algorithm.digest()
/// digest.update(bytes)
/// let matches = digest.finish() == expected
/// ```
public struct Checksum: Sendable, Hashable, CustomStringConvertible {
    /// A digest algorithm, by CloudStack's (Java's `MessageDigest`) name.
    public enum Algorithm: String, Sendable, Hashable, CaseIterable {
        /// MD5, the algorithm of a checksum without `{...}`.
        case md5 = "MD5"
        /// SHA-1.
        case sha1 = "SHA-1"
        /// SHA-256.
        case sha256 = "SHA-256"
        /// SHA-384.
        case sha384 = "SHA-384"
        /// SHA-512.
        case sha512 = "SHA-512"

        /// The length of its hex digest.
        public var hexLength: Int {
            switch self {
            case .md5: 32
            case .sha1: 40
            case .sha256: 64
            case .sha384: 96
            case .sha512: 128
            }
        }

        /// A fresh running digest of this algorithm.
        /// - Returns: the digest, fed with ``RunningDigest/update(_:)``.
        public func digest() -> RunningDigest { RunningDigest(self) }
    }

    /// The algorithm.
    public var algorithm: Algorithm
    /// The digest, lowercase hex.
    public var hex: String

    /// Creates a checksum from its parts.
    /// - Parameters:
    ///   - algorithm: the algorithm.
    ///   - hex: the digest in hex (any case; stored lowercase).
    public init(algorithm: Algorithm, hex: String) {
        self.algorithm = algorithm
        self.hex = hex.lowercased()
    }

    /// Parses `{ALGORITHM}hex` or plain hex (MD5), surrounding blanks ignored.
    /// - Parameter text: the checksum as given.
    /// - Throws: ``DownloadError/Code-swift.struct/invalidChecksum`` for an unknown algorithm, a digest that is not
    ///   hex, or one of the wrong length for its algorithm.
    public init(parsing text: String) throws(DownloadError) {
        let trimmed = text.trimmingBlanks
        var algorithm = Algorithm.md5
        var hex = Substring(trimmed)
        if trimmed.hasPrefix("{") {
            guard let close = trimmed.firstIndex(of: "}") else {
                throw DownloadError(.invalidChecksum, "checksum \"\(trimmed)\" has no closing '}'")
            }
            let name = trimmed[trimmed.index(after: trimmed.startIndex)..<close].uppercased()
            guard let known = Algorithm(rawValue: name) else {
                throw DownloadError(.invalidChecksum, "checksum algorithm not recognised: \(name)")
            }
            algorithm = known
            hex = trimmed[trimmed.index(after: close)...]
        }
        guard !hex.isEmpty, hex.allSatisfy(\.isHexDigit), hex.allSatisfy(\.isASCII) else {
            throw DownloadError(.invalidChecksum, "checksum \"\(trimmed)\" is not a hexadecimal digest")
        }
        guard hex.count == algorithm.hexLength else {
            throw DownloadError(
                .invalidChecksum,
                "checksum \"\(trimmed)\" has \(hex.count) hex digits; \(algorithm.rawValue) has \(algorithm.hexLength)"
            )
        }
        self.init(algorithm: algorithm, hex: String(hex))
    }

    /// `{ALGORITHM}hex`, as CloudStack's `ChecksumValue` prints it.
    public var description: String { "{\(self.algorithm.rawValue)}\(self.hex)" }
}

/// A digest being computed over a stream of bytes.
public struct RunningDigest {
    private enum State {
        case md5(Insecure.MD5)
        case sha1(Insecure.SHA1)
        case sha256(SHA256)
        case sha384(SHA384)
        case sha512(SHA512)
    }

    private var state: State
    private let algorithm: Checksum.Algorithm

    init(_ algorithm: Checksum.Algorithm) {
        self.algorithm = algorithm
        switch algorithm {
        case .md5: self.state = .md5(Insecure.MD5())
        case .sha1: self.state = .sha1(Insecure.SHA1())
        case .sha256: self.state = .sha256(SHA256())
        case .sha384: self.state = .sha384(SHA384())
        case .sha512: self.state = .sha512(SHA512())
        }
    }

    /// Feeds bytes.
    /// - Parameter bytes: the next bytes of the stream.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        switch self.state {
        case .md5(var hash):
            hash.update(bufferPointer: bytes)
            self.state = .md5(hash)
        case .sha1(var hash):
            hash.update(bufferPointer: bytes)
            self.state = .sha1(hash)
        case .sha256(var hash):
            hash.update(bufferPointer: bytes)
            self.state = .sha256(hash)
        case .sha384(var hash):
            hash.update(bufferPointer: bytes)
            self.state = .sha384(hash)
        case .sha512(var hash):
            hash.update(bufferPointer: bytes)
            self.state = .sha512(hash)
        }
    }

    /// The digest of everything fed.
    /// - Returns: the checksum.
    public func finish() -> Checksum {
        let bytes: [UInt8] =
            switch self.state {
            case .md5(let hash): Array(hash.finalize())
            case .sha1(let hash): Array(hash.finalize())
            case .sha256(let hash): Array(hash.finalize())
            case .sha384(let hash): Array(hash.finalize())
            case .sha512(let hash): Array(hash.finalize())
            }
        let digits = Array("0123456789abcdef")
        var hex = ""
        hex.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0f)])
        }
        return Checksum(algorithm: self.algorithm, hex: hex)
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and newlines.
    fileprivate var trimmingBlanks: String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0.isNewline }
        guard let first = self.firstIndex(where: { !blank($0) }), let last = self.lastIndex(where: { !blank($0) })
        else { return "" }
        return String(self[first...last])
    }
}
