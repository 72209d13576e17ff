import Crypto
import Foundation

/// CloudStack's request signature (ApiServer.verifyRequest): parameters except `signature`, sorted by name as
/// received (case-sensitive), `name=URLEncoder.encode(value)` with `+` as `%20`, joined with `&`, lower-cased,
/// HMAC-SHA1 with the secret key, base64.
public enum RequestSigner {
    /// The canonical string to sign.
    /// - Parameter pairs: the request's decoded parameters.
    /// - Returns: the lower-cased canonical form.
    public static func canonical(_ pairs: [(name: String, value: String)]) -> String {
        pairs.filter { $0.name.lowercased() != "signature" }
            .sorted { Array($0.name.utf16).lexicographicallyPrecedes(Array($1.name.utf16)) }
            .map { "\($0.name)=\(Self.javaURLEncode($0.value))" }
            .joined(separator: "&")
            .lowercased()
    }

    /// The base64 HMAC-SHA1 signature of `pairs` with `secret`.
    /// - Parameters:
    ///   - pairs: the parameters (any `signature` is ignored).
    ///   - secret: the user's secret key.
    /// - Returns: the signature.
    public static func sign(_ pairs: [(name: String, value: String)], secret: String) -> String {
        Self.hmac(Self.canonical(pairs), secret: secret)
    }

    /// A client's signed call: `command`, `response=json`, `apiKey`, then `extra` and the parameters in the given
    /// order, then `signature`.
    /// - Parameters:
    ///   - command: the command.
    ///   - parameters: its parameters.
    ///   - apiKey: the caller's API key.
    ///   - secret: the caller's secret key.
    ///   - extra: pairs that go before the parameters (e.g. `signatureVersion` and `expires`).
    /// - Returns: the pairs to send.
    public static func signedCall(
        _ command: String,
        _ parameters: [(name: String, value: String)],
        apiKey: String,
        secret: String,
        extra: [(name: String, value: String)] = []
    ) -> [(name: String, value: String)] {
        var pairs: [(name: String, value: String)] = [("command", command), ("response", "json"), ("apiKey", apiKey)]
        pairs += extra + parameters
        pairs.append(("signature", Self.sign(pairs, secret: secret)))
        return pairs
    }

    /// The query string of `pairs` as clients send it: `name=value` with values encoded as ``javaURLEncode(_:)``,
    /// joined with `&`.
    /// - Parameter pairs: the pairs.
    /// - Returns: the query (without `?`).
    public static func query(_ pairs: [(name: String, value: String)]) -> String {
        pairs.map { "\($0.name)=\(Self.javaURLEncode($0.value))" }.joined(separator: "&")
    }

    /// Whether `signature` matches CloudStack's canonical form or one of the known client variants, comparing
    /// in constant time.
    ///
    /// Variants (reference §1.4): Python's `quote` and Go's `QueryEscape` leave `~` unescaped; Libcloud sorts
    /// lower-cased names and leaves `[` `]` unescaped in values.
    /// - Parameters:
    ///   - pairs: the request's parameters.
    ///   - signature: the received signature (already URL-decoded).
    ///   - secret: the user's secret key.
    /// - Returns: true when valid.
    public static func verify(_ pairs: [(name: String, value: String)], signature: String, secret: String) -> Bool {
        let given = Array(signature.utf8)
        func matches(_ candidate: String) -> Bool {
            let expected = Array(Self.hmac(candidate, secret: secret).utf8)
            return expected.count == given.count
                && zip(expected, given).reduce(UInt8(0), { $0 | ($1.0 ^ $1.1) }) == 0
        }
        // CloudStack's own form first (what cmk, Terraform and most clients send); the variants only when it fails.
        let java = Self.canonical(pairs)
        if matches(java) { return true }
        var matched = false
        for candidate in Set(Self.canonicalVariants(pairs, java: java)) where candidate != java {
            if matches(candidate) { matched = true }
        }
        return matched
    }

    static func canonicalVariants(_ pairs: [(name: String, value: String)], java: String? = nil) -> [String] {
        let java = java ?? Self.canonical(pairs)
        let libcloud = pairs.filter { $0.name.lowercased() != "signature" }
            .sorted { $0.name.lowercased() < $1.name.lowercased() }
            .map { "\($0.name)=\(Self.javaURLEncode($0.value))" }
            .joined(separator: "&")
            .lowercased()
            .replacingOccurrences(of: "%5b", with: "[")
            .replacingOccurrences(of: "%5d", with: "]")
        return [java, java.replacingOccurrences(of: "%7e", with: "~"), libcloud]
    }

    static func hmac(_ canonical: String, secret: String) -> String {
        let mac = HMAC<Insecure.SHA1>.authenticationCode(
            for: Data(canonical.utf8),
            using: SymmetricKey(data: Data(secret.utf8))
        )
        return Data(mac).base64EncodedString()
    }

    /// Java's `URLEncoder.encode(value, UTF-8)` with `+` replaced by `%20`: only `A-Z a-z 0-9 . - * _` stay.
    /// - Parameter value: the text.
    /// - Returns: the encoded text.
    public static func javaURLEncode(_ value: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(value.utf8.count + 8)
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "*"),
                UInt8(ascii: "_"):
                out.append(byte)
            default:
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses an `expires` value: `yyyy-MM-dd'T'HH:mm:ssZ`, ISO 8601 with offset or `Z`, optional milliseconds.
    /// - Parameter text: the value.
    /// - Returns: the date, or nil.
    public static func parseExpires(_ text: String) -> Date? {
        let formats = [
            "yyyy-MM-dd'T'HH:mm:ssZ", "yyyy-MM-dd'T'HH:mm:ssXXXXX", "yyyy-MM-dd'T'HH:mm:ss.SSSZ",
            "yyyy-MM-dd'T'HH:mm:ss.SSSXXXXX",
        ]
        for format in formats {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}
