import Crypto
import Foundation

/// Why a secret key or an encryption key could not be used.
public struct SecretKeyCipherError: Error, Hashable, CustomStringConvertible {
    /// The kind of failure.
    public struct Kind: Hashable, Sendable {
        private enum Value: Hashable, Sendable { case keyFile, wrongKey, malformed }
        private let value: Value
        /// The key file is unreadable, or not 32 base64-encoded bytes.
        public static let keyFile = Kind(value: .keyFile)
        /// A sealed value does not open with this key (it was sealed with another).
        public static let wrongKey = Kind(value: .wrongKey)
        /// A sealed value is not in the sealed format.
        public static let malformed = Kind(value: .malformed)
    }

    /// The kind.
    public var kind: Kind
    /// What went wrong (never a key).
    public var description: String

    init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }
}

/// Users' secret keys at rest: sealed with AES-256-GCM under a key kept apart from the database, as CloudStack
/// encrypts `user.secret_key` with its database key (`DBEncryptionUtil`). A copy of the database alone does not
/// reveal them.
///
/// A sealed value is `aesgcm1:` followed by base64 of nonce, ciphertext and tag. A value without that prefix is a
/// clear-text secret from before encryption: ``open(_:)`` returns it as is, and the start-up pass
/// (``CloudBootstrap``) seals it.
public struct SecretKeyCipher: Sendable {
    static let prefix = "aesgcm1:"
    private let keyData: Data
    private var key: SymmetricKey { SymmetricKey(data: self.keyData) }

    /// A cipher over a 256-bit key.
    /// - Parameter keyData: 32 bytes.
    /// - Throws: ``SecretKeyCipherError`` (``SecretKeyCipherError/Kind/keyFile``) for another length.
    public init(keyData: Data) throws(SecretKeyCipherError) {
        guard keyData.count == 32 else { throw SecretKeyCipherError(.keyFile, "an encryption key is 32 bytes") }
        self.keyData = keyData
    }

    private init(key: SymmetricKey) {
        self.keyData = key.withUnsafeBytes { Data($0) }
    }

    /// A cipher over a new random key.
    /// - Returns: the cipher.
    public static func random() -> SecretKeyCipher {
        SecretKeyCipher(key: SymmetricKey(size: .bits256))
    }

    /// One random key for this process: what in-memory clouds and tests use when no key is given. A database that
    /// outlives the process needs a persistent key (``loadOrCreate(path:)``).
    public static let ephemeral = SecretKeyCipher.random()

    /// Whether a stored value is sealed (rather than a clear-text secret from before encryption).
    /// - Parameter stored: the stored value.
    /// - Returns: true when sealed.
    public static func isSealed(_ stored: String) -> Bool {
        stored.hasPrefix(Self.prefix)
    }

    /// Seals a secret for storage.
    /// - Parameter clear: the secret.
    /// - Returns: the sealed form.
    /// - Throws: ``SecretKeyCipherError`` when the platform's AES-GCM fails.
    public func seal(_ clear: String) throws(SecretKeyCipherError) -> String {
        guard let box = try? AES.GCM.seal(Data(clear.utf8), using: self.key), let combined = box.combined else {
            throw SecretKeyCipherError(.malformed, "cannot seal a secret key")
        }
        return Self.prefix + combined.base64EncodedString()
    }

    /// Opens a stored secret: a sealed one is decrypted, a clear-text one (from before encryption) returned as is.
    /// - Parameter stored: the stored value.
    /// - Returns: the secret.
    /// - Throws: ``SecretKeyCipherError`` when it was sealed with another key or is damaged.
    public func open(_ stored: String) throws(SecretKeyCipherError) -> String {
        guard Self.isSealed(stored) else { return stored }
        guard let combined = Data(base64Encoded: String(stored.dropFirst(Self.prefix.count))),
            let box = try? AES.GCM.SealedBox(combined: combined)
        else { throw SecretKeyCipherError(.malformed, "a sealed secret key is damaged") }
        guard let clear = try? AES.GCM.open(box, using: self.key) else {
            throw SecretKeyCipherError(.wrongKey, "a secret key was sealed with another encryption key")
        }
        return String(decoding: clear, as: UTF8.self)
    }

    /// Reads the key file at `path`, or creates it (32 random bytes, base64, mode 0600) when there is none.
    /// Creation is atomic: servers starting together on one path end up with the same key.
    /// - Parameter path: the key file.
    /// - Returns: the cipher.
    /// - Throws: ``SecretKeyCipherError`` when the file cannot be read, written or parsed.
    public static func loadOrCreate(path: String) throws(SecretKeyCipherError) -> SecretKeyCipher {
        if let data = FileManager.default.contents(atPath: path) { return try Self.parse(data, path: path) }
        let key = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        let temporary = "\(path).\(UUID().uuidString).tmp"
        let created = FileManager.default.createFile(
            atPath: temporary,
            contents: Data((key.base64EncodedString() + "\n").utf8),
            attributes: [.posixPermissions: 0o600]
        )
        guard created else { throw SecretKeyCipherError(.keyFile, "cannot write the encryption key file \(path)") }
        defer { unlink(temporary) }
        // link(2) fails if another process created the file first: then its key is the one.
        if link(temporary, path) != 0, errno != EEXIST {
            throw SecretKeyCipherError(.keyFile, "cannot write the encryption key file \(path)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SecretKeyCipherError(.keyFile, "cannot read the encryption key file \(path)")
        }
        return try Self.parse(data, path: path)
    }

    private static func parse(_ data: Data, path: String) throws(SecretKeyCipherError) -> SecretKeyCipher {
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let key = Data(base64Encoded: text), key.count == 32 else {
            throw SecretKeyCipherError(.keyFile, "\(path) is not a ZooStack encryption key (32 bytes, base64)")
        }
        return try SecretKeyCipher(keyData: key)
    }
}
