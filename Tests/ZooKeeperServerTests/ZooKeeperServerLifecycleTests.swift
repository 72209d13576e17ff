import ServiceLifecycle
import ServiceLifecycleTestKit
import Testing
import ZooKeeperProtocol
import ZooKeeperTestSupport

@testable import ZooKeeperServer

struct ZooKeeperServerLifecycleTests {
    @Test func runShutsDownWhenCancelled() async throws {
        let dir = temporaryDirectory()
        let config = ZooKeeperServerConfiguration(port: 0, dataDir: dir)
        let server = ZooKeeperServer(configuration: config, clock: ManualClock(), automaticTicks: false)
        try await server.start()
        let port = server.port
        #expect(port > 0)
        var (client, _) = try await RawZooKeeperClient.connect(port: port)
        _ = try await client.call(.create, createRequest("/kept", [7]), as: CreateResponse.self)
        let task = Task { try await server.run() }
        task.cancel()
        try await task.value
        #expect(await client.isClosedByServer())
        await #expect(throws: (any Error).self) { _ = try await RawZooKeeperClient.open(port: port) }
        await #expect(throws: ZooKeeperServerError.self) { try await server.start() }
        try await withServer(config) { _, port in
            var (client, _) = try await RawZooKeeperClient.connect(port: port)
            let (_, data) = try await client.call(
                .getData,
                GetDataRequest(path: "/kept", watch: false),
                as: GetDataResponse.self
            )
            #expect(data?.data == [7])
            await client.close()
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func runShutsDownAtTheGroupsGracefulShutdown() async throws {
        let dir = temporaryDirectory()
        let config = ZooKeeperServerConfiguration(port: 0, dataDir: dir)
        let server = ZooKeeperServer(configuration: config, clock: ManualClock(), automaticTicks: false)
        try await server.start()
        let port = server.port
        var (client, _) = try await RawZooKeeperClient.connect(port: port)
        _ = try await client.call(.create, createRequest("/synced", [9]), as: CreateResponse.self)
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await server.run() }
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        #expect(await client.isClosedByServer())
        await #expect(throws: (any Error).self) { _ = try await RawZooKeeperClient.open(port: port) }
        // The txn log was synced: a restarted server has the node.
        try await withServer(config) { _, port in
            var (client, _) = try await RawZooKeeperClient.connect(port: port)
            let (_, data) = try await client.call(
                .getData,
                GetDataRequest(path: "/synced", watch: false),
                as: GetDataResponse.self
            )
            #expect(data?.data == [9])
            await client.close()
        }
    }

    @Test func bindFailureIsReported() async throws {
        try await withServer { _, port in
            let clash = ZooKeeperServer(configuration: ZooKeeperServerConfiguration(port: port))
            await #expect(throws: ZooKeeperServerError.self) { try await clash.start() }
        }
    }

    @Test func aDataDirectoryServesOneServerAtATime() async throws {
        let dir = temporaryDirectory()
        try await withServer(ZooKeeperServerConfiguration(port: 0, dataDir: dir)) { _, _ in
            let second = ZooKeeperServer(configuration: ZooKeeperServerConfiguration(port: 0, dataDir: dir))
            let error = await #expect(throws: ZooKeeperServerError.self) { try await second.start() }
            #expect(error?.code == .dataDirectory)
        }
        // Released at shutdown.
        try await withServer(ZooKeeperServerConfiguration(port: 0, dataDir: dir)) { _, _ in }
    }

    @Test func concurrentStartsShareOneListener() async throws {
        let server = ZooKeeperServer(configuration: ZooKeeperServerConfiguration(port: 0))
        async let first: Void = server.start()
        async let second: Void = server.start()
        _ = try await (first, second)
        let port = server.port
        try await server.start()
        #expect(server.port == port)
        await server.shutdown()
        await server.shutdown()
    }
}
