import NIOCore

/// The agent's side of the handshake (see ``AgentSecret``): challenge, check the management server's proof,
/// confirm. No I/O: the channel handler carries out the actions.
struct AgentServerHandshake {
    /// What the handler does with a frame.
    enum Action {
        /// The management server proved the key: send this confirmation; later frames are commands.
        case confirm(AgentAuthConfirmation)
        /// A command on an authenticated connection: pass it on.
        case forward
        /// Not the handshake's next step, or a wrong proof: close the connection, answering nothing.
        case close
        /// A frame after the connection was condemned: ignore it (the close is under way).
        case ignore
    }

    private enum State {
        case challenged(nonce: [UInt8])
        case authenticated
        case failed
    }

    private let secret: AgentSecret
    private var state: State
    /// The first frame to send.
    let challenge: AgentChallenge

    init(secret: AgentSecret, nonce: [UInt8] = AgentSecret.nonce()) {
        self.secret = secret
        self.state = .challenged(nonce: nonce)
        self.challenge = AgentChallenge(challenge: nonce.base64)
    }

    /// Whether the management server has proved the key.
    var isAuthenticated: Bool {
        if case .authenticated = self.state { return true }
        return false
    }

    mutating func received(_ payload: ByteBuffer) -> Action {
        switch self.state {
        case .authenticated:
            return .forward
        case .failed:
            return .ignore
        case .challenged(let ownNonce):
            guard let response = try? AgentWire.decode(AgentAuthResponse.self, from: payload),
                let peerNonce = [UInt8](base64: response.nonce, count: AgentSecret.nonceLength),
                let proof = [UInt8](base64: response.proof, count: 32),
                peerNonce != ownNonce,
                self.secret.verify(proof, of: .managementServer, peerNonce: ownNonce, ownNonce: peerNonce)
            else {
                self.state = .failed
                return .close
            }
            self.state = .authenticated
            let confirmation = self.secret.proof(.agent, peerNonce: peerNonce, ownNonce: ownNonce)
            return .confirm(AgentAuthConfirmation(proof: confirmation.base64))
        }
    }

    /// The handshake's time ran out.
    /// - Returns: whether to close the connection (it was not authenticated in time).
    mutating func timedOut() -> Bool {
        switch self.state {
        case .authenticated: return false
        case .challenged, .failed:
            self.state = .failed
            return true
        }
    }
}

/// The management server's side of the handshake (see ``AgentSecret``): answer the challenge with a proof, check
/// the agent's. No I/O.
struct AgentClientHandshake {
    /// What the handler does with a frame.
    enum Action {
        /// Send this response to the agent's challenge.
        case respond(AgentAuthResponse)
        /// The agent proved the key: commands may go.
        case authenticated
        /// An answer on an authenticated connection: pass it on.
        case forward
        /// The agent is not who it should be: close the connection.
        case close(AgentProtocolError)
        /// A frame after the connection was condemned: ignore it.
        case ignore
    }

    private enum State {
        case awaitingChallenge(nonce: [UInt8])
        case awaitingConfirmation(agentNonce: [UInt8], ownNonce: [UInt8])
        case authenticated
        case failed
    }

    private let secret: AgentSecret
    private var state: State

    init(secret: AgentSecret, nonce: [UInt8] = AgentSecret.nonce()) {
        self.secret = secret
        self.state = .awaitingChallenge(nonce: nonce)
    }

    mutating func received(_ payload: ByteBuffer) -> Action {
        switch self.state {
        case .authenticated:
            return .forward
        case .failed:
            return .ignore
        case .awaitingChallenge(let ownNonce):
            guard let challenge = try? AgentWire.decode(AgentChallenge.self, from: payload),
                let agentNonce = [UInt8](base64: challenge.challenge, count: AgentSecret.nonceLength),
                agentNonce != ownNonce
            else {
                return self.fail("the agent did not start the authentication handshake")
            }
            self.state = .awaitingConfirmation(agentNonce: agentNonce, ownNonce: ownNonce)
            let proof = self.secret.proof(.managementServer, peerNonce: agentNonce, ownNonce: ownNonce)
            return .respond(AgentAuthResponse(nonce: ownNonce.base64, proof: proof.base64))
        case .awaitingConfirmation(let agentNonce, let ownNonce):
            guard let confirmation = try? AgentWire.decode(AgentAuthConfirmation.self, from: payload),
                let proof = [UInt8](base64: confirmation.proof, count: 32),
                self.secret.verify(proof, of: .agent, peerNonce: ownNonce, ownNonce: agentNonce)
            else {
                return self.fail("the agent did not prove the cluster secret")
            }
            self.state = .authenticated
            return .authenticated
        }
    }

    private mutating func fail(_ reason: String) -> Action {
        self.state = .failed
        return .close(AgentProtocolError(.authenticationFailed, reason))
    }
}
