import ZooKeeperProtocol

/// The client's session lifecycle: which server to try, when a session is established, resumed, lost or
/// expired. Pure (no I/O, no clock): each event returns the actions the connection must carry out.
struct ClientSessionStateMachine {
    enum Action: Equatable {
        /// Open a TCP connection to `servers[serverIndex]`, after `delayMilliseconds`.
        case connect(serverIndex: Int, delayMilliseconds: Int64)
        /// Send this handshake on the new connection.
        case sendConnectRequest(ConnectRequest)
        /// The session is (re)established: prime the connection (watches, auth), send queued requests, start
        /// pinging, report `state`.
        case established(ConnectionState)
        /// The connection is gone while the session may live: fail requests in flight with ConnectionLoss and
        /// report `state` if any.
        case connectionLost(ConnectionState?)
        /// The session is gone: fail everything with SessionExpired, end every watch, report it.
        case expire
        /// The server refused our credentials: fail everything with AuthFailed, end every watch, report it.
        case failAuth
        /// Send closeSession on the live connection and wait for its reply.
        case sendCloseSession
        /// Close the current TCP connection.
        case closeChannel
        /// The client is closed: end everything.
        case closed
    }

    private enum State {
        case idle
        case connecting(wasConnected: Bool)
        case handshaking(wasConnected: Bool)
        case connected
        case closing
        case expired
        case authFailed
        case closed
    }

    private var state: State = .idle
    private let serverCount: Int
    private let requestedTimeout: Int32
    private let reconnectWithNewSession: Bool
    private var nextServer = 0
    private var failuresInCycle = 0

    /// The live session's id (0 before the first one).
    private(set) var sessionId: Int64
    /// The live session's password.
    private(set) var password: [UInt8]
    /// The timeout the server granted, in ms (0 before the first session).
    private(set) var negotiatedTimeout: Int32 = 0

    init(serverCount: Int, requestedTimeout: Int32, reconnectWithNewSession: Bool, resume: (Int64, [UInt8])?) {
        self.serverCount = max(serverCount, 1)
        self.requestedTimeout = requestedTimeout
        self.reconnectWithNewSession = reconnectWithNewSession
        self.sessionId = resume?.0 ?? 0
        self.password = resume?.1 ?? [UInt8](repeating: 0, count: 16)
    }

    var isConnected: Bool {
        if case .connected = self.state { return true }
        return false
    }

    var isHandshaking: Bool {
        if case .handshaking = self.state { return true }
        return false
    }

    /// Whether requests should wait for a connection rather than fail.
    var acceptsRequests: Bool {
        switch self.state {
        case .idle, .connecting, .handshaking, .connected: true
        case .closing, .expired, .authFailed, .closed: false
        }
    }

    /// The error a request gets when the client no longer accepts requests.
    var terminalError: KeeperError.Code {
        switch self.state {
        case .expired: .sessionExpired
        case .authFailed: .authFailed
        case .idle, .connecting, .handshaking, .connected, .closing, .closed: .connectionLoss
        }
    }

    private mutating func nextConnect() -> Action {
        let index = self.nextServer % self.serverCount
        self.nextServer += 1
        // Try every server once without waiting; after a full cycle of failures back off a little, as
        // StaticHostProvider.next(spinDelay) does.
        let delay: Int64 = self.failuresInCycle >= self.serverCount ? 250 : 0
        if self.failuresInCycle >= self.serverCount { self.failuresInCycle = 0 }
        return .connect(serverIndex: index, delayMilliseconds: delay)
    }

    mutating func start() -> [Action] {
        switch self.state {
        case .idle:
            self.state = .connecting(wasConnected: false)
            return [self.nextConnect()]
        case .connecting, .handshaking, .connected, .closing, .expired, .authFailed, .closed:
            return []
        }
    }

    mutating func channelConnected(lastZxidSeen: Int64) -> [Action] {
        switch self.state {
        case .connecting(let was):
            self.state = .handshaking(wasConnected: was)
            let request = ConnectRequest(
                lastZxidSeen: lastZxidSeen,
                timeOut: self.requestedTimeout,
                sessionId: self.sessionId,
                passwd: self.password,
                readOnly: false
            )
            return [.sendConnectRequest(request)]
        case .idle, .handshaking, .connected, .closing, .expired, .authFailed, .closed:
            return [.closeChannel]
        }
    }

    mutating func connectFailed() -> [Action] {
        switch self.state {
        case .connecting:
            self.failuresInCycle += 1
            return [self.nextConnect()]
        case .idle, .handshaking, .connected, .closing, .expired, .authFailed, .closed:
            return []
        }
    }

    mutating func connectResponse(_ response: ConnectResponse) -> [Action] {
        switch self.state {
        case .handshaking(let was):
            if response.isExpired {
                if self.reconnectWithNewSession {
                    self.sessionId = 0
                    self.password = [UInt8](repeating: 0, count: 16)
                    self.state = .connecting(wasConnected: false)
                    return [.expire, .closeChannel, self.nextConnect()]
                }
                self.state = .expired
                return [.expire, .closeChannel]
            }
            let resumed = was && response.sessionId == self.sessionId
            self.sessionId = response.sessionId
            self.password = response.passwd
            self.negotiatedTimeout = response.timeOut
            self.failuresInCycle = 0
            self.state = .connected
            return [.established(resumed ? .reconnected : .connected)]
        case .idle, .connecting, .connected, .closing, .expired, .authFailed, .closed:
            return [.closeChannel]
        }
    }

    mutating func channelClosed() -> [Action] {
        switch self.state {
        case .connected:
            self.state = .connecting(wasConnected: true)
            return [.connectionLost(.suspended), self.nextConnect()]
        case .handshaking(let was):
            self.failuresInCycle += 1
            self.state = .connecting(wasConnected: was)
            return [.connectionLost(nil), self.nextConnect()]
        case .closing:
            self.state = .closed
            return [.closed]
        case .idle, .connecting, .expired, .authFailed, .closed:
            return []
        }
    }

    mutating func authFailed() -> [Action] {
        switch self.state {
        case .connected, .handshaking, .connecting:
            self.state = .authFailed
            return [.failAuth, .closeChannel]
        case .idle, .closing, .expired, .authFailed, .closed:
            return []
        }
    }

    mutating func closeRequested() -> [Action] {
        switch self.state {
        case .connected:
            self.state = .closing
            return [.sendCloseSession]
        case .idle, .connecting, .handshaking, .expired, .authFailed:
            self.state = .closed
            return [.closeChannel, .closed]
        case .closing, .closed:
            return []
        }
    }

    /// Stop without ending the session: drop the connection and let the session live out its timeout.
    mutating func abandonRequested() -> [Action] {
        switch self.state {
        case .idle, .connecting, .handshaking, .connected, .expired, .authFailed, .closing:
            self.state = .closed
            return [.closeChannel, .closed]
        case .closed:
            return []
        }
    }

    /// closeSession was answered (or timed out): finish closing.
    mutating func closeSessionDone() -> [Action] {
        switch self.state {
        case .closing:
            self.state = .closed
            return [.closeChannel, .closed]
        case .idle, .connecting, .handshaking, .connected, .expired, .authFailed, .closed:
            return []
        }
    }
}
