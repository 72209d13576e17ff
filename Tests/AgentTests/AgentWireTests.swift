import NIOCore
import NIOPosix
import Testing

@testable import Agent

@Suite("Agent protocol framing")
struct AgentWireTests {
    @Test func requestAndAnswerRoundTrip() throws {
        let request = AgentRequest(
            seq: 42,
            command: .migrate,
            body: AgentCommandBody(
                hostId: "h1",
                vm: AgentVm(id: "v1", name: "i-2-1-VM", cpuNumber: 2, cpuSpeed: 1000, memory: 512),
                forced: true,
                destinationHostId: "h2"
            )
        )
        let answer = AgentAnswer(
            seq: 42,
            result: true,
            details: "ok",
            vms: [AgentVm(id: "v1", name: "n", cpuNumber: 1, cpuSpeed: 500, memory: 256)]
        )
        var buffer = ByteBuffer()
        try AgentWire.encode(request, into: &buffer)
        try AgentWire.encode(answer, into: &buffer)
        let first = try #require(try AgentWire.nextFrame(&buffer))
        let second = try #require(try AgentWire.nextFrame(&buffer))
        #expect(try AgentWire.decode(AgentRequest.self, from: first) == request)
        #expect(try AgentWire.decode(AgentAnswer.self, from: second) == answer)
        #expect(try AgentWire.nextFrame(&buffer) == nil)
        #expect(buffer.readableBytes == 0)
    }

    @Test func partialFramesWaitForTheRest() throws {
        var whole = ByteBuffer()
        try AgentWire.encode(AgentAnswer(seq: 1, result: false, details: "no"), into: &whole)
        let bytes = Array(whole.readableBytesView)
        var partial = ByteBuffer(bytes: bytes.prefix(3))
        #expect(try AgentWire.nextFrame(&partial) == nil)
        #expect(partial.readableBytes == 3)
        partial = ByteBuffer(bytes: bytes.dropLast())
        #expect(try AgentWire.nextFrame(&partial) == nil)
        partial.writeBytes(bytes.suffix(1))
        let frame = try #require(try AgentWire.nextFrame(&partial))
        #expect(try AgentWire.decode(AgentAnswer.self, from: frame).details == "no")
    }

    @Test func malformedFramesAreRejected() throws {
        var oversized = ByteBuffer()
        oversized.writeInteger(UInt32(AgentWire.maximumFrameLength + 1))
        #expect(
            throws: AgentProtocolError(
                .frameTooLarge,
                "a \(AgentWire.maximumFrameLength + 1)-byte frame exceeds the frame limit"
            )
        ) {
            _ = try AgentWire.nextFrame(&oversized)
        }
        var empty = ByteBuffer()
        empty.writeInteger(UInt32(0))
        #expect(throws: AgentProtocolError.self) { _ = try AgentWire.nextFrame(&empty) }
        let garbage = ByteBuffer(string: "{not json")
        do {
            _ = try AgentWire.decode(AgentRequest.self, from: garbage)
            Issue.record("garbage decoded")
        } catch {
            #expect(error.kind == .malformedFrame)
        }
        let missingFields = ByteBuffer(string: #"{"seq": 1, "command": "StartCommand"}"#)
        #expect(throws: AgentProtocolError.self) { _ = try AgentWire.decode(AgentRequest.self, from: missingFields) }
    }

    @Test func unknownCommandsAndHostsGetFailedAnswers() {
        let agent = SimulatorAgent(hostIds: ["h1"], secret: TestSecrets.agent)
        let unknown = agent.handle(
            AgentRequest(seq: 7, commandName: "DestroyTheWorldCommand", body: AgentCommandBody(hostId: "h1"))
        )
        #expect(unknown == AgentAnswer(seq: 7, result: false, details: "Unsupported command DestroyTheWorldCommand"))
        let otherHost = agent.handle(AgentRequest(seq: 8, command: .ready, body: AgentCommandBody(hostId: "h9")))
        #expect(!otherHost.result)
        #expect(otherHost.details.contains("not served"))
        #expect(agent.handle(AgentRequest(seq: 9, command: .ready, body: AgentCommandBody(hostId: "h1"))).result)
    }

    @Test(.timeLimit(.minutes(1)))
    func aMalformedFrameClosesTheConnection() async throws {
        let agent = SimulatorAgent(hostIds: ["h1"], secret: TestSecrets.agent)
        let port = try await agent.start()
        defer { Task { await agent.shutdown() } }
        for garbage in [Array("\u{0}\u{0}\u{0}\u{5}hello".utf8), [0xFF, 0xFF, 0xFF, 0xFF, 0x01]] {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: port)
                .get()
            try await channel.writeAndFlush(ByteBuffer(bytes: garbage))
            // The agent closes the connection: closeFuture completes (no answer ever comes).
            try await channel.closeFuture.get()
            #expect(!channel.isActive)
        }
    }
}
