import Testing
import ZooKeeperClient
import ZooKeeperProtocol
import ZooKeeperTestSupport

/// Failover within a 3-server Apache ZooKeeper ensemble on loopback: stop the server the client is on; the
/// session, its ephemeral nodes and its watches survive on another server.
@Suite("Ensemble failover", .serialized)
struct EnsembleFailoverTests {
    @Test
    func theSessionAndItsWatchesSurviveTheLossOfItsServer() async throws {
        try await withApacheZooKeeperEnsemble(size: 3, options: ApacheZooKeeperOptions(tickTime: .milliseconds(500))) {
            ensemble in
            var configuration = try ZooKeeperClientConfiguration(
                connectString: ensemble.connectString,
                sessionTimeout: .seconds(8)
            )
            configuration.shuffleServers = false
            let zk = try await ZooKeeperClient.connect(configuration: configuration)
            let states = zk.connectionStates()
            let session = try await zk.session
            try await zk.create("/failover", data: bytes("0"))
            try await zk.create("/failover/owner", mode: .ephemeral)
            let (_, _, dataWatch) = try await zk.getDataWatch("/failover")
            let recursive = try await zk.addWatch("/failover", mode: .persistentRecursive)

            let server = try #require(await zk.currentServer)
            let member = try #require(ensemble.servers.firstIndex { $0.port == server.port })
            await ensemble.stop(member: member)

            var seen: [ConnectionState] = []
            for await state in states {
                seen.append(state)
                if state == .reconnected || state == .expired { break }
            }
            #expect(seen == [.suspended, .reconnected])
            let now = try #require(await zk.currentServer)
            #expect(now.port != server.port)
            #expect(try await zk.session.sessionId == session.sessionId)
            #expect(try await zk.exists("/failover/owner")?.ephemeralOwner == session.sessionId)

            // A change made through another server reaches the re-registered watches.
            let survivors = ensemble.servers.enumerated().filter { $0.offset != member }.map {
                $0.element.connectString
            }
            let other = try await ZooKeeperClient.connect(connectString: survivors.joined(separator: ","))
            try await other.setData("/failover", data: bytes("1"))
            #expect(try await fired(dataWatch) == WatchEvent(type: .nodeDataChanged, path: "/failover"))
            #expect(try await next(recursive) == WatchEvent(type: .nodeDataChanged, path: "/failover"))
            #expect(try await zk.getData("/failover").data == bytes("1"))

            await zk.close()
            #expect(try await other.exists("/failover/owner") == nil)
            await other.close()
        }
    }
}
