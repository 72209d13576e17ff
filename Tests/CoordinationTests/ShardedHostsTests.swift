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
}

/// The events a test saw, in order.
final class EventLog: Sendable {
    let events = Mutex<[HostEvent]>([])

    func contains(_ event: HostEvent) -> Bool {
        self.events.withLock { $0.contains(event) }
    }
}
