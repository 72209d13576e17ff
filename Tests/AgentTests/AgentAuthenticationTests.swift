import Coordination
import NIOCore
import NIOPosix
import Testing

@testable import Agent

/// The cluster credentials the agent tests share (management servers and agents prove the same secret).
enum TestSecrets {
    static let credentials = ClusterCredentials.generate()
    static let agent = AgentSecret(credentials)
    /// Another cluster's secret.
    static let other = AgentSecret(ClusterCredentials.generate())
}

@Suite("Agent protocol authentication")
struct AgentAuthenticationTests {
    // MARK: the handshake's state machines

    @Test func theSameSecretAuthenticatesBothWays() throws {
        var agent = AgentServerHandshake(secret: TestSecrets.agent)
        var server = AgentClientHandshake(secret: TestSecrets.agent)
        guard case .respond(let response) = server.received(try Self.payload(agent.challenge)) else {
            Issue.record("no response to the challenge")
            return
        }
        guard case .confirm(let confirmation) = agent.received(try Self.payload(response)) else {
            Issue.record("the agent refused the right secret")
            return
        }
        #expect(agent.isAuthenticated)
        guard case .authenticated = server.received(try Self.payload(confirmation)) else {
            Issue.record("the management server refused the agent's proof")
            return
        }
        guard case .forward = server.received(try Self.payload(AgentAnswer(seq: 1, result: true, details: ""))),
            case .forward = agent.received(
                try Self.payload(AgentRequest(seq: 1, command: .ready, body: .init(hostId: "h")))
            )
        else {
            Issue.record("frames after the handshake are not passed on")
            return
        }
    }

    @Test func aWrongSecretIsRefusedByEitherSide() throws {
        // A management server with another secret: the agent closes without confirming.
        var agent = AgentServerHandshake(secret: TestSecrets.agent)
        var impostor = AgentClientHandshake(secret: TestSecrets.other)
        guard case .respond(let response) = impostor.received(try Self.payload(agent.challenge)) else {
            Issue.record("no response")
            return
        }
        guard case .close = agent.received(try Self.payload(response)) else {
            Issue.record("the agent accepted a wrong proof")
            return
        }
        #expect(!agent.isAuthenticated)
        // Whatever comes after is ignored, never passed on as a command.
        guard
            case .ignore = agent.received(
                try Self.payload(AgentRequest(seq: 2, command: .getVmStates, body: .init(hostId: "h")))
            )
        else {
            Issue.record("a frame after a failed handshake was not ignored")
            return
        }

        // An agent with another secret: the management server refuses its confirmation.
        var fakeAgent = AgentServerHandshake(secret: TestSecrets.other)
        var server = AgentClientHandshake(secret: TestSecrets.agent)
        guard case .respond(let honest) = server.received(try Self.payload(fakeAgent.challenge)) else {
            Issue.record("no response")
            return
        }
        // The fake agent cannot check the proof either, and never confirms; a forged confirmation is refused.
        guard case .close = fakeAgent.received(try Self.payload(honest)) else {
            Issue.record("the fake agent accepted another secret's proof")
            return
        }
        let forged = AgentAuthConfirmation(
            proof: TestSecrets.other.proof(.agent, peerNonce: AgentSecret.nonce(), ownNonce: AgentSecret.nonce()).base64
        )
        guard case .close(let error) = server.received(try Self.payload(forged)) else {
            Issue.record("the management server accepted a forged confirmation")
            return
        }
        #expect(error.kind == .authenticationFailed)
    }

    @Test func aCommandInsteadOfTheHandshakeIsRefused() throws {
        var agent = AgentServerHandshake(secret: TestSecrets.agent)
        let request = AgentRequest(seq: 1, command: .getVmStates, body: AgentCommandBody(hostId: "h1"))
        guard case .close = agent.received(try Self.payload(request)) else {
            Issue.record("a command was taken before the handshake")
            return
        }
        // A management server talking to something that answers without a challenge refuses it.
        var server = AgentClientHandshake(secret: TestSecrets.agent)
        guard case .close(let error) = server.received(try Self.payload(AgentAnswer(seq: 1, result: true, details: "")))
        else {
            Issue.record("an answer was taken for a challenge")
            return
        }
        #expect(error.kind == .authenticationFailed)
    }

    @Test func aRecordedResponseDoesNotPassOnAnotherConnection() throws {
        var first = AgentServerHandshake(secret: TestSecrets.agent)
        var server = AgentClientHandshake(secret: TestSecrets.agent)
        guard case .respond(let response) = server.received(try Self.payload(first.challenge)) else {
            Issue.record("no response")
            return
        }
        guard case .confirm = first.received(try Self.payload(response)) else {
            Issue.record("refused")
            return
        }
        // Replayed to a new connection (a new challenge): refused.
        var second = AgentServerHandshake(secret: TestSecrets.agent)
        guard case .close = second.received(try Self.payload(response)) else {
            Issue.record("a replayed response was accepted")
            return
        }
    }

    @Test func theHandshakeTimesOutUnlessAuthenticated() {
        var agent = AgentServerHandshake(secret: TestSecrets.agent)
        let closes = agent.timedOut()
        #expect(closes)
        #expect(!agent.isAuthenticated)
    }

    // MARK: over loopback

    @Test(.timeLimit(.minutes(1)))
    func anUnauthenticatedCommandGetsNoAnswerAndTheConnectionCloses() async throws {
        let agent = SimulatorAgent(hostIds: ["h1"], secret: TestSecrets.agent)
        agent.place(AgentVm(id: "v1", name: "i-2-1-VM", cpuNumber: 1, cpuSpeed: 500, memory: 256), onHost: "h1")
        let port = try await agent.start()
        defer { Task { await agent.shutdown() } }
        let request = AgentRequest(seq: 1, command: .getVmStates, body: AgentCommandBody(hostId: "h1"))
        let received = try await Self.exchange(port: port, sending: [try Self.frame(request)])
        // Only the challenge came, then the agent closed the connection.
        var buffer = ByteBuffer(bytes: received)
        let first = try #require(try AgentWire.nextFrame(&buffer))
        _ = try AgentWire.decode(AgentChallenge.self, from: first)
        #expect(try AgentWire.nextFrame(&buffer) == nil)
        #expect(!String(decoding: received, as: UTF8.self).contains("i-2-1-VM"))
    }

    @Test(.timeLimit(.minutes(1)))
    func aWrongSecretGetsNoAnswerAndTheConnectionCloses() async throws {
        let agent = SimulatorAgent(hostIds: ["h1"], secret: TestSecrets.agent)
        agent.place(AgentVm(id: "v1", name: "i-2-1-VM", cpuNumber: 1, cpuSpeed: 500, memory: 256), onHost: "h1")
        let port = try await agent.start()
        defer { Task { await agent.shutdown() } }
        // A peer that follows the handshake with another cluster's secret, then asks for the VM list.
        let request = AgentRequest(seq: 1, command: .getVmStates, body: AgentCommandBody(hostId: "h1"))
        let received = try await Self.exchange(port: port, respondingWith: TestSecrets.other, then: request)
        var buffer = ByteBuffer(bytes: received)
        let first = try #require(try AgentWire.nextFrame(&buffer))
        _ = try AgentWire.decode(AgentChallenge.self, from: first)
        #expect(try AgentWire.nextFrame(&buffer) == nil)
        #expect(!String(decoding: received, as: UTF8.self).contains("i-2-1-VM"))
        // Through the pool: the same refusal, reported as such.
        let pool = AgentConnectionPool(secret: TestSecrets.other, connectTimeout: .seconds(10))
        defer { Task { await pool.close() } }
        await #expect {
            _ = try await pool.send(.getVmStates, AgentCommandBody(hostId: "h1"), to: "127.0.0.1:\(port)")
        } throws: { error in
            (error as? AgentProtocolError)?.kind == .authenticationFailed
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func theRightSecretIsAnswered() async throws {
        let agent = SimulatorAgent(hostIds: ["h1"], secret: TestSecrets.agent)
        agent.place(AgentVm(id: "v1", name: "i-2-1-VM", cpuNumber: 1, cpuSpeed: 500, memory: 256), onHost: "h1")
        let port = try await agent.start()
        defer { Task { await agent.shutdown() } }
        let request = AgentRequest(seq: 1, command: .getVmStates, body: AgentCommandBody(hostId: "h1"))
        let received = try await Self.exchange(
            port: port,
            respondingWith: TestSecrets.agent,
            then: request,
            closeAfterFrames: 3
        )
        var buffer = ByteBuffer(bytes: received)
        _ = try AgentWire.decode(AgentChallenge.self, from: try #require(try AgentWire.nextFrame(&buffer)))
        _ = try AgentWire.decode(AgentAuthConfirmation.self, from: try #require(try AgentWire.nextFrame(&buffer)))
        let answer = try AgentWire.decode(AgentAnswer.self, from: try #require(try AgentWire.nextFrame(&buffer)))
        #expect(answer.vms?.map(\.name) == ["i-2-1-VM"])
        // Through the pool.
        let pool = AgentConnectionPool(secret: TestSecrets.agent)
        defer { Task { await pool.close() } }
        let pooled = try await pool.send(.getVmStates, AgentCommandBody(hostId: "h1"), to: "127.0.0.1:\(port)")
        #expect(pooled.vms?.map(\.id) == ["v1"])
    }

    @Test(.timeLimit(.minutes(1)))
    func aManagementServerRefusesAnAgentWithoutTheSecret() async throws {
        let impostor = SimulatorAgent(hostIds: ["h1"], secret: TestSecrets.other)
        let port = try await impostor.start()
        defer { Task { await impostor.shutdown() } }
        let pool = AgentConnectionPool(secret: TestSecrets.agent, connectTimeout: .seconds(10))
        defer { Task { await pool.close() } }
        await #expect {
            _ = try await pool.send(.ready, AgentCommandBody(hostId: "h1"), to: "127.0.0.1:\(port)")
        } throws: { error in
            (error as? AgentProtocolError)?.kind == .authenticationFailed
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func aSilentConnectionIsClosedAfterTheHandshakeTimeout() async throws {
        let agent = SimulatorAgent(hostIds: ["h1"], secret: TestSecrets.agent, handshakeTimeout: .milliseconds(200))
        let port = try await agent.start()
        defer { Task { await agent.shutdown() } }
        let received = try await Self.exchange(port: port, sending: [])
        var buffer = ByteBuffer(bytes: received)
        _ = try AgentWire.decode(AgentChallenge.self, from: try #require(try AgentWire.nextFrame(&buffer)))
        #expect(try AgentWire.nextFrame(&buffer) == nil)
    }

    // MARK: helpers

    static func payload<Message: Encodable>(_ message: Message) throws -> ByteBuffer {
        var buffer = try Self.frame(message)
        return try #require(try AgentWire.nextFrame(&buffer))
    }

    static func frame<Message: Encodable>(_ message: Message) throws -> ByteBuffer {
        var buffer = ByteBuffer()
        try AgentWire.encode(message, into: &buffer)
        return buffer
    }

    /// Connects, writes `frames`, and returns every byte received until the agent closes the connection.
    static func exchange(port: Int, sending frames: [ByteBuffer]) async throws -> [UInt8] {
        let channel = try await Self.connect(port: port)
        return try await channel.executeThenClose { inbound, outbound in
            for frame in frames { try await outbound.write(frame) }
            var received: [UInt8] = []
            do {
                for try await chunk in inbound { received += chunk.readableBytesView }
            } catch {
                // A reset is a close too.
            }
            return received
        }
    }

    /// Connects, answers the challenge with `secret`'s proof, sends `request`, and returns every byte received
    /// until the agent closes the connection (or, with `closeAfterFrames`, until that many frames came).
    static func exchange(
        port: Int,
        respondingWith secret: AgentSecret,
        then request: AgentRequest,
        closeAfterFrames: Int? = nil
    ) async throws -> [UInt8] {
        let channel = try await Self.connect(port: port)
        return try await channel.executeThenClose { inbound, outbound in
            var handshake = AgentClientHandshake(secret: secret)
            var received: [UInt8] = []
            var pending = ByteBuffer()
            var frames = 0
            do {
                for try await chunk in inbound {
                    received += chunk.readableBytesView
                    pending.writeImmutableBuffer(chunk)
                    while let payload = try AgentWire.nextFrame(&pending) {
                        frames += 1
                        if frames == 1, case .respond(let response) = handshake.received(payload) {
                            try await outbound.write(try Self.frame(response))
                            try? await outbound.write(try Self.frame(request))
                        }
                    }
                    if let closeAfterFrames, frames >= closeAfterFrames { break }
                }
            } catch let error as AgentProtocolError {
                throw error
            } catch {
                // A reset is a close too.
            }
            return received
        }
    }

    static func connect(port: Int) async throws -> NIOAsyncChannel<ByteBuffer, ByteBuffer> {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
    }
}
