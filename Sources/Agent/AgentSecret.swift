import Coordination
import Crypto

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The secret management servers and agents prove to each other at the start of every agent connection: a key
/// derived from the cluster's credentials (``ClusterCredentials``), so an agent given the cluster credentials can
/// both register in ZooKeeper and answer the management servers.
///
/// The handshake (agent first, both directions, each side's proof bound to both nonces and to its role):
///
/// 1. agent → management server: ``AgentChallenge`` with 32 random bytes `Na`;
/// 2. management server → agent: ``AgentAuthResponse`` with its 32 random bytes `Nc` and
///    `HMAC-SHA256(key, "zoostack-agent-auth management-server" | Na | Nc)`;
/// 3. agent → management server: ``AgentAuthConfirmation`` with `HMAC-SHA256(key, "zoostack-agent-auth agent" | Nc | Na)`.
///
/// An agent answers no command before step 2 checks out, and closes the connection on any other frame; a
/// management server sends no command before step 3 checks out.
public struct AgentSecret: Sendable {
    // The derived key's bytes (Crypto's `SymmetricKey` is not `Sendable`).
    private let keyBytes: [UInt8]

    /// The secret of a cluster's credentials.
    /// - Parameter credentials: the cluster credentials.
    public init(_ credentials: ClusterCredentials) {
        let key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Array(credentials.text.utf8)),
            info: Array("zoostack agent protocol".utf8),
            outputByteCount: 32
        )
        self.keyBytes = key.withUnsafeBytes { Array($0) }
    }

    private var key: SymmetricKey { SymmetricKey(data: self.keyBytes) }

    /// The length of each side's nonce in bytes.
    static let nonceLength = 32

    /// A new random nonce.
    static func nonce() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<Self.nonceLength).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// The proof of `role` that it holds the key, over its peer's nonce then its own.
    func proof(_ role: AgentPeerRole, peerNonce: [UInt8], ownNonce: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Self.message(role, peerNonce, ownNonce), using: self.key))
    }

    /// Whether `proof` is `role`'s proof over these nonces (compared in constant time).
    func verify(_ proof: [UInt8], of role: AgentPeerRole, peerNonce: [UInt8], ownNonce: [UInt8]) -> Bool {
        HMAC<SHA256>.isValidAuthenticationCode(
            proof,
            authenticating: Self.message(role, peerNonce, ownNonce),
            using: self.key
        )
    }

    private static func message(_ role: AgentPeerRole, _ peerNonce: [UInt8], _ ownNonce: [UInt8]) -> [UInt8] {
        Array("zoostack-agent-auth \(role.rawValue)".utf8) + [0] + peerNonce + ownNonce
    }
}

/// Which end of an agent connection a proof comes from (part of what is signed, so one end's proof never passes
/// for the other's).
enum AgentPeerRole: String, Sendable {
    case managementServer = "management-server"
    case agent
}

/// Handshake step 1, agent → management server: the agent's nonce.
public struct AgentChallenge: Codable, Hashable, Sendable {
    /// The agent's nonce, base64.
    public var challenge: String
}

/// Handshake step 2, management server → agent: the management server's nonce and its proof.
public struct AgentAuthResponse: Codable, Hashable, Sendable {
    /// The management server's nonce, base64.
    public var nonce: String
    /// Its proof, base64.
    public var proof: String
}

/// Handshake step 3, agent → management server: the agent's proof.
public struct AgentAuthConfirmation: Codable, Hashable, Sendable {
    /// The agent's proof, base64.
    public var proof: String
}

extension Array where Element == UInt8 {
    /// Bytes from base64 text, nil when it is not base64 or not `count` bytes long.
    init?(base64 text: String, count: Int) {
        guard let data = Data(base64Encoded: text), data.count == count else { return nil }
        self = Array(data)
    }

    /// The bytes as base64 text.
    var base64: String { Data(self).base64EncodedString() }
}
