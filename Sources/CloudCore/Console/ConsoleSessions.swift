import Crypto
import Foundation
import Synchronization

/// The console proxy's sessions (CloudStack's console access tokens, `createConsoleEndpoint`): each token opens one
/// websocket to one VM's VNC server, once, before it expires. Tokens live in the memory of the management server
/// that issued them, whose proxy the endpoint's URL names.
public final class ConsoleSessions: Sendable {
    /// What a token opens.
    public struct Session: Sendable, Hashable {
        /// The VM.
        public var vmId: String
        /// `HOST:PORT` of its VNC server.
        public var target: String
        /// When the token stops working.
        public var expires: ContinuousClock.Instant
    }

    private let sessions = Mutex<[String: Session]>([:])
    private let proxy = Mutex<String?>(nil)
    /// How long a token stays usable (CloudStack's console sessions: a minute to connect).
    public let lifetime: Duration

    /// Creates an empty table.
    /// - Parameter lifetime: how long a token stays usable.
    public init(lifetime: Duration = .seconds(60)) {
        self.lifetime = lifetime
    }

    /// The proxy's websocket URL without the token (e.g. `ws://127.0.0.1:8081/websockify`), once it listens.
    public var proxyURL: String? {
        get { self.proxy.withLock { $0 } }
        set { self.proxy.withLock { $0 = newValue } }
    }

    /// Issues a single-use token for a VM's VNC server.
    /// - Parameters:
    ///   - vmId: the VM.
    ///   - target: `HOST:PORT` of its VNC server.
    /// - Returns: the token (43 URL-safe characters).
    public func issue(vmId: String, target: String) -> String {
        let token = Data(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        let now = ContinuousClock.now
        self.sessions.withLock { sessions in
            sessions = sessions.filter { $0.value.expires > now }
            sessions[token] = Session(vmId: vmId, target: target, expires: now + self.lifetime)
        }
        return token
    }

    /// Whether a token would open a session now (without using it).
    /// - Parameter token: the token.
    /// - Returns: true for a known, unused, unexpired token.
    public func isValid(_ token: String) -> Bool {
        self.sessions.withLock { $0[token].map { $0.expires > .now } ?? false }
    }

    /// Uses a token: its session, once; nil for an unknown, used or expired token.
    /// - Parameter token: the token.
    /// - Returns: the session.
    public func redeem(_ token: String) -> Session? {
        self.sessions.withLock { sessions in
            guard let session = sessions.removeValue(forKey: token), session.expires > .now else { return nil }
            return session
        }
    }
}
