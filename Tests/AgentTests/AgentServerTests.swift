import Agent
import Testing

@Suite("AgentServer with a concurrent handler")
struct AgentServerTests {
    @Test func aSlowCommandDoesNotHoldBackAQuickOneAndAnswersMatchTheirRequests() async throws {
        let (gate, open) = AsyncStream.makeStream(of: Void.self)
        let server = AgentServer(
            secret: TestSecrets.agent,
            handler: .concurrent { request in
                if request.command == AgentCommand.start.rawValue {
                    for await _ in gate { break }
                }
                return AgentAnswer(seq: request.seq, result: true, details: request.command)
            }
        )
        let port = try await server.start()
        let pool = AgentConnectionPool(secret: TestSecrets.agent)
        let address = "127.0.0.1:\(port)"
        let body = AgentCommandBody(hostId: "h")
        try await withThrowingTaskGroup(of: AgentAnswer.self) { group in
            group.addTask { try await pool.send(.start, body, to: address) }
            // The start waits for the gate, which opens only once the ready command has been answered.
            let ready = try await pool.send(.ready, body, to: address)
            #expect(ready.details == "ReadyCommand")
            open.yield()
            let start = try await group.next()
            #expect(start?.details == "StartCommand")
        }
        open.finish()
        await pool.close()
        await server.shutdown()
        #expect(server.port == nil)
    }
}
