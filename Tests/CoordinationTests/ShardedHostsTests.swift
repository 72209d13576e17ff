import Coordination
import Foundation
import Synchronization
import Testing
import ZooKeeperClient
import ZooKeeperProtocol
import ZooKeeperTestSupport

/// Issue 18: hosts and their owners sharded into buckets and followed incrementally (30,000 hosts:
/// ClusterProcessTests, where ZooKeeper runs as its own process).
@Suite("Coordination: sharded hosts")
struct ShardedHostsTests {
    /// The bucket is a pure function of the id and the bucket count (FNV-1a 64), the same in every process and
    /// version: pinned, since agents and management servers of different builds share the tree.
    @Test func bucketsArePinned() {
        let layout = ZNodeLayout(root: "/zoostack")
        #expect(layout.bucket(of: "host-1") == "15")
        #expect(layout.bucket(of: "8f14e45f-ceea-467f-a0e6-1d8c0e8e3f8a") == "3d")
        #expect(layout.hostPath("host-1") == "/zoostack/hosts/15/host-1")
        #expect(layout.hostOwnerPath("host-1") == "/zoostack/hostowners/15/host-1")
        #expect(ZNodeLayout(hostBuckets: 10).bucket(of: "host-1") == "7")
        #expect(ZNodeLayout(hostBuckets: 4096).bucket(of: "host-1") == "c15")
        #expect(ZNodeLayout(hostBuckets: 0).hostBuckets == 1)
        #expect(ZNodeLayout.defaultHostBuckets * ZNodeLayout.maxChildren >= 2_000_000)
    }

    @Test(.timeLimit(.minutes(3)), arguments: CoordinationTarget.all)
    func aHostJoiningAndLeavingIsSeenIncrementally(target: ZooKeeperTarget) async throws {
        let cluster = try await TestCluster(target)
        let coordinator = try await cluster.coordinator("ms-1")
        defer { Task { await coordinator.stop() } }
        let directory = coordinator.hostDirectory
        let log = EventLog()
        let events = directory.events()
        let collector = Task { for await event in events { log.events.withLock { $0.append(event) } } }
        defer { collector.cancel() }
        let host = HostInfo(id: "host-join", address: "10.0.0.1", cpuCores: 4, cpuSpeedMHz: 2000, memoryBytes: 1 << 33)
        let registration = try await HostRegistration.connect(
            connectString: cluster.connectString,
            rootPath: cluster.root,
            sessionTimeout: .seconds(6),
            credentials: nil,
            host: host
        )
        // The node is in its bucket.
        #expect(try await registration.client.exists(cluster.layout.hostPath("host-join")) != nil)
        try await eventually("appeared(host)") { log.contains(.appeared(host)) }
        try await eventually("the owner assigned") { coordinator.hostOwners() == ["host-join": "ms-1"] }

        // A change of the registration is seen as the host appearing again with its new data.
        var changed = host
        changed.memoryBytes = 1 << 34
        let bigger = changed
        try await registration.update(bigger)
        try await eventually("appeared(bigger)") { log.contains(.appeared(bigger)) }

        // A second host in the same session, then both leave one by one.
        let other = HostInfo(
            id: "host-other",
            address: "10.0.0.2",
            cpuCores: 2,
            cpuSpeedMHz: 2000,
            memoryBytes: 1 << 32
        )
        let second = try await HostRegistration.register(
            client: registration.client,
            layout: cluster.layout,
            host: other
        )
        try await eventually("appeared(other)") { log.contains(.appeared(other)) }
        #expect(directory.lastKnownHosts.map(\.id) == ["host-join", "host-other"])
        await second.leave()
        try await eventually("disappeared('host-other')") { log.contains(.disappeared("host-other")) }
        #expect(directory.lastKnownHosts.map(\.id) == ["host-join"])
        await registration.deregister()
        try await eventually("disappeared('host-join')") { log.contains(.disappeared("host-join")) }
        try await eventually("the owner removed") { coordinator.hostOwners().isEmpty }
        #expect(try await directory.hosts().isEmpty)
    }

    /// Hosts that come and go while a server is cut off are caught up after it reconnects: with the same session
    /// (a short cut), and with a new one (past the session timeout).
    @Test(.timeLimit(.minutes(3)), arguments: CoordinationTarget.all)
    func changesMissedWhileCutOffAreCaughtUp(target: ZooKeeperTarget) async throws {
        let cluster = try await TestCluster(target)
        let (proxy, cutOff) = try await cluster.coordinatorBehindProxy("ms-a", timeout: .seconds(4))
        let agents = try await cluster.client()
        defer {
            Task {
                await cutOff.stop()
                await proxy.stop()
                await agents.close()
            }
        }
        func host(_ id: String) -> HostInfo {
            HostInfo(id: id, address: "10.0.0.1", cpuCores: 2, cpuSpeedMHz: 2000, memoryBytes: 1 << 32)
        }
        let directory = cutOff.hostDirectory
        let h1 = try await HostRegistration.register(client: agents, layout: cluster.layout, host: host("h-1"))
        try await eventually("h-1 seen") { directory.lastKnownHosts.map(\.id) == ["h-1"] }

        proxy.partition()
        _ = try await first(cutOff.stateChanges()) { $0 == .suspended }
        await h1.leave()
        _ = try await HostRegistration.register(client: agents, layout: cluster.layout, host: host("h-2"))
        #expect(directory.lastKnownHosts.map(\.id) == ["h-1"])
        proxy.heal()
        try await eventually("caught up after reconnecting") { directory.lastKnownHosts.map(\.id) == ["h-2"] }

        proxy.partition()
        _ = try await HostRegistration.register(client: agents, layout: cluster.layout, host: host("h-3"))
        // Past the session timeout: the server's session expires and it comes back with a new one.
        try await Task.sleep(for: .seconds(6))
        proxy.heal()
        try await eventually("caught up with a new session") {
            directory.lastKnownHosts.map(\.id) == ["h-2", "h-3"]
        }
    }
}

/// The events a test saw, in order.
final class EventLog: Sendable {
    let events = Mutex<[HostEvent]>([])

    func contains(_ event: HostEvent) -> Bool {
        self.events.withLock { $0.contains(event) }
    }
}
