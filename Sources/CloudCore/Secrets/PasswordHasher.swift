import Crypto
import Foundation
import Synchronization
import _CryptoExtras

/// Password hashing with PBKDF2-HMAC-SHA256 (OWASP's minimum rounds), stored as
/// `pbkdf2-sha256$rounds$salt$hash` with base64 parts. Clear passwords are never stored or logged.
public enum PasswordHasher {
    static let rounds = 210_000

    /// Hashes a password with a fresh random salt.
    /// - Parameter password: the clear password.
    /// - Returns: the encoded hash.
    public static func hash(_ password: String) -> String {
        let salt = (0..<16).map { _ in UInt8.random(in: 0...255) }
        return Self.encode(password, salt: salt, rounds: Self.rounds) ?? ""
    }

    /// Checks a password against a stored hash.
    /// - Parameters:
    ///   - password: the clear password.
    ///   - stored: the encoded hash.
    /// - Returns: true when it matches.
    public static func verify(_ password: String, against stored: String) -> Bool {
        Self.verificationCounter?.increment()
        let parts = stored.split(separator: "$")
        guard parts.count == 4, parts[0] == "pbkdf2-sha256", let rounds = Int(parts[1]),
            let salt = Data(base64Encoded: String(parts[2]))
        else { return false }
        guard let candidate = Self.encode(password, salt: Array(salt), rounds: rounds) else { return false }
        let lhs = Array(candidate.utf8)
        let rhs = Array(stored.utf8)
        guard lhs.count == rhs.count else { return false }
        return zip(lhs, rhs).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// The hash of a random password, with the standard rounds: a login of an unknown user is checked against it, so
    /// that it costs what a login of a known user costs and its time does not tell whether the user exists.
    public static let dummyHash = PasswordHasher.hash(PasswordHasher.randomToken(bytes: 18))

    /// Counts ``verify(_:against:)`` calls (tests of the login path set it for their task).
    @TaskLocal public static var verificationCounter: VerificationCounter?

    /// A count of password verifications.
    public final class VerificationCounter: Sendable {
        private let value = Mutex(0)

        /// A counter at 0.
        public init() {}

        /// The verifications so far.
        public var count: Int { self.value.withLock { $0 } }

        func increment() { self.value.withLock { $0 += 1 } }
    }

    private static func encode(_ password: String, salt: [UInt8], rounds: Int) -> String? {
        guard
            let key = try? KDF.Insecure.PBKDF2.deriveKey(
                from: Array(password.utf8),
                salt: salt,
                using: .sha256,
                outputByteCount: 32,
                rounds: rounds
            )
        else { return nil }
        let hash = key.withUnsafeBytes { Data($0).base64EncodedString() }
        return "pbkdf2-sha256$\(rounds)$\(Data(salt).base64EncodedString())$\(hash)"
    }

    /// A random URL-safe token of `bytes` random bytes (API keys, secret keys, session keys, passwords).
    /// - Parameter bytes: the entropy in bytes.
    /// - Returns: the token.
    public static func randomToken(bytes: Int) -> String {
        Data((0..<bytes).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
