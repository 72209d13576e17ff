import NIOCore
import ZooKeeperProtocol

/// One server connection's protocol state: the handshake, then requests, then closing.
///
/// No I/O: each event returns an action for `ServerConnectionHandler` to carry out. Peer misbehaviour (a
/// malformed frame, no ConnectRequest in time) becomes a close action.
struct ServerSessionStateMachine {
    private enum State {
        /// Waiting for the ConnectRequest.
        case awaitingConnect
        /// The ConnectRequest is with the server core.
        case connecting
        /// A session is established.
        case connected(sessionId: Int64)
        /// Closing: frames are ignored.
        case closing
        /// The channel is gone.
        case closed
    }

    /// What the handler must do.
    enum Action: Hashable, Sendable {
        /// Nothing.
        case none
        /// Hand the ConnectRequest to the server core, then report with `connectFinished`.
        case connect(ConnectRequest)
        /// Hand a request to the server core.
        case process(RequestHeader, ClientRequest)
        /// Close the channel.
        case close
        /// Tell the server core the connection is gone.
        case unregister
    }

    private var state: State = .awaitingConnect

    /// Whether a session is established.
    var sessionId: Int64? {
        switch self.state {
        case .connected(let id): id
        case .awaitingConnect, .connecting, .closing, .closed: nil
        }
    }

    /// A whole frame arrived.
    mutating func frameReceived(_ frame: ByteBuffer) -> Action {
        switch self.state {
        case .awaitingConnect:
            var buffer = frame
            guard let request = try? ConnectRequest(from: &buffer) else {
                self.state = .closing
                return .close
            }
            self.state = .connecting
            return .connect(request)
        case .connected:
            var buffer = frame
            do {
                let header = try RequestHeader(from: &buffer)
                let request = try ClientRequest.decode(header.type, buffer)
                if case .write(.closeSession) = request { self.state = .closing }
                if case .topLevelCheck = request { self.state = .closing }
                return .process(header, request)
            } catch {
                self.state = .closing
                return .close
            }
        case .connecting:
            // The core answers a ConnectRequest synchronously, so nothing can arrive in between.
            preconditionFailure("frame while connecting")
        case .closing, .closed:
            return .none
        }
    }

    /// The server core answered the ConnectRequest.
    mutating func connectFinished(_ outcome: CoreState.ConnectOutcome) -> Action {
        switch (self.state, outcome) {
        case (.connecting, .established(let sessionId)):
            self.state = .connected(sessionId: sessionId)
            return .none
        case (.connecting, .rejected):
            // The core closes the channel after the rejection frame.
            self.state = .closing
            return .none
        case (.awaitingConnect, _), (.connected, _), (.closing, _), (.closed, _):
            preconditionFailure("connectFinished outside connecting")
        }
    }

    /// The handshake deadline passed.
    mutating func handshakeDeadlinePassed() -> Action {
        switch self.state {
        case .awaitingConnect:
            self.state = .closing
            return .close
        case .connecting, .connected, .closing, .closed:
            return .none
        }
    }

    /// The pipeline reported an error (an oversized frame, say).
    mutating func errorCaught() -> Action {
        switch self.state {
        case .awaitingConnect, .connecting, .connected:
            self.state = .closing
            return .close
        case .closing, .closed:
            return .none
        }
    }

    /// The channel became inactive.
    mutating func channelInactive() -> Action {
        switch self.state {
        case .closed:
            return .none
        case .awaitingConnect, .connecting, .connected, .closing:
            self.state = .closed
            return .unregister
        }
    }
}
