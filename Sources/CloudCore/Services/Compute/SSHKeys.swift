import Crypto
import Foundation
import _CryptoExtras

/// OpenSSH public keys: generating an RSA pair, parsing and checking a registered key, CloudStack's fingerprint
/// (MD5 of the key blob, colon-separated hex).
public enum SSHKeys {
    /// A generated pair.
    public struct Generated: Sendable {
        public var privateKeyPEM: String
        public var publicKey: String
    }

    /// The key types registerSSHKeyPair accepts.
    public static let types: Set<String> = [
        "ssh-rsa", "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-dss",
    ]

    /// Generates a 2048-bit RSA key pair: the private key in PEM, the public key in OpenSSH format.
    public static func generate(comment: String) throws -> Generated {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let primitives = try key.publicKey.getKeyPrimitives()
        var blob = Data()
        Self.append(string: Data("ssh-rsa".utf8), to: &blob)
        Self.append(string: Self.mpint(primitives.publicExponent), to: &blob)
        Self.append(string: Self.mpint(primitives.modulus), to: &blob)
        return Generated(
            privateKeyPEM: key.pemRepresentation,
            publicKey: "ssh-rsa \(blob.base64EncodedString()) \(comment)"
        )
    }

    /// Checks an OpenSSH public key (`type base64 [comment]`): a known type whose blob names the same type and
    /// holds well-formed key material. Returns the key without its comment and its blob, or nil when malformed.
    public static func parse(_ text: String) -> (key: String, blob: Data)? {
        let fields = text.trimmingCharacters(in: .whitespacesAndNewlines).split(whereSeparator: \.isWhitespace)
        guard fields.count >= 2, Self.types.contains(String(fields[0])),
            let blob = Data(base64Encoded: String(fields[1]))
        else { return nil }
        var reader = Reader(data: blob)
        guard let type = reader.string(), String(decoding: type, as: UTF8.self) == fields[0] else { return nil }
        switch fields[0] {
        case "ssh-rsa":
            guard let exponent = reader.string(), let modulus = reader.string(), !exponent.isEmpty,
                modulus.count >= 128, reader.atEnd
            else { return nil }
        case "ssh-ed25519":
            guard let key = reader.string(), key.count == 32, reader.atEnd else { return nil }
        default:
            guard let part = reader.string(), !part.isEmpty else { return nil }
        }
        return ("\(fields[0]) \(fields[1])", blob)
    }

    /// CloudStack's fingerprint of a public key: MD5 of its blob as colon-separated hex.
    public static func fingerprint(_ publicKey: String) -> String? {
        guard let (_, blob) = Self.parse(publicKey) else { return nil }
        return Insecure.MD5.hash(data: blob).map { String(format: "%02x", $0) }.joined(separator: ":")
    }

    public static func append(string: Data, to blob: inout Data) {
        var length = UInt32(string.count).bigEndian
        withUnsafeBytes(of: &length) { blob.append(contentsOf: $0) }
        blob.append(string)
    }

    /// An unsigned big-endian integer as an SSH mpint (leading zeros stripped, a zero byte when the top bit is set).
    public static func mpint(_ bytes: Data) -> Data {
        var trimmed = Data(bytes.drop { $0 == 0 })
        if let first = trimmed.first, first & 0x80 != 0 { trimmed.insert(0, at: 0) }
        return trimmed
    }

    /// Reads SSH wire-format strings.
    struct Reader {
        var data: Data
        var offset = 0

        var atEnd: Bool { self.offset == self.data.count }

        mutating func string() -> Data? {
            let bytes = [UInt8](self.data)
            guard self.offset + 4 <= bytes.count else { return nil }
            let length = bytes[self.offset..<self.offset + 4].reduce(0) { $0 << 8 | Int($1) }
            self.offset += 4
            guard length <= bytes.count - self.offset else { return nil }
            defer { self.offset += length }
            return Data(bytes[self.offset..<self.offset + length])
        }
    }
}
