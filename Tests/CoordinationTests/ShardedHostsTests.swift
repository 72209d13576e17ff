import Coordination
import Foundation
import Synchronization
import Testing
import ZooKeeperClient
import ZooKeeperProtocol
import ZooKeeperTestSupport

/// Issue 18: hosts and their owners sharded into buckets, so that no node has more than
/// ``ZNodeLayout/maxChildren`` children and every listing stays under `jute.maxbuffer`, past the ~26,000 hosts of
/// 36-character ids that one flat `/hosts` node could list.
@Suite("Coordination: sharded hosts")
struct ShardedHostsTests {
    static let hostCount = 30_000

    @Test(.timeLimit(.minutes(6)), arguments: CoordinationTarget.all)
    func thirtyThousandHostsAreSeenAndOwnedWithinTheBound(target: ZooKeeperTarget) async throws {
        let cluster = try await TestCluster(target)
        let coordinator = try await cluster.coordinator("ms-1", timeout: .seconds(10))
        let agents = try await cluster.client()
        defer {
            Task {
                await agents.close()
                await coordinator.stop()
            }
        }
        let layout = cluster.layout
        // One session registers them all, 500 to a multi (as a process simulating many hosts could).
        let ids = (0..<Self.hostCount).map { _ in UUID().uuidString.lowercased() }
        let data = Array(
            try JSONEncoder().encode(
                HostInfo(id: "x", address: "127.0.0.1:1", cpuCores: 8, cpuSpeedMHz: 2000, memoryBytes: 16 << 30)
            )
        )
        for start in stride(from: 0, to: ids.count, by: 500) {
            try await agents.multi(
                ids[start..<min(start + 500, ids.count)].map { id in
                    .create(
                        CreateRequest(path: layout.hostPath(id), data: data, acl: agents.defaultACL, flags: .ephemeral),
                        .create
                    )
                }
            )
        }

        let directory = coordinator.hostDirectory
        try await eventually(timeout: .seconds(180), "the directory sees every host") {
            directory.lastKnownHosts.count == Self.hostCount
        }
        #expect(Set(try await directory.hosts().map(\.id)) == Set(ids))
        try await eventually(timeout: .seconds(180), "every host owned") {
            coordinator.hostOwners().count == Self.hostCount
        }
        #expect(Set(coordinator.hostOwners().keys) == Set(ids))
        #expect(Set(coordinator.hostOwners().values) == ["ms-1"])

        // No node under the root has more children than the bound; every bucket lists in one reply.
        let observer = try await cluster.client()
        defer { Task { await observer.close() } }
        for parent in [layout.root] + layout.persistentNodes {
            let (children, stat) = try await observer.getChildrenWithStat(parent)
            #expect(children.count <= ZNodeLayout.maxChildren && stat.numChildren <= ZNodeLayout.maxChildren)
        }
        for parent in [layout.hosts, layout.hostOwners] {
            let buckets = try await observer.getChildren(parent)
            #expect(buckets.count == layout.hostBuckets, "\(parent)")
            var total = 0
            for bucket in buckets {
                let leaves = try await observer.getChildren(parent + "/" + bucket)
                #expect(leaves.count <= ZNodeLayout.maxChildren)
                #expect(leaves.allSatisfy { layout.bucket(of: $0) == bucket })
                total += leaves.count
            }
            #expect(total == Self.hostCount, "\(parent)")
        }
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
}

/// The events a test saw, in order.
final class EventLog: Sendable {
    let events = Mutex<[HostEvent]>([])

    func contains(_ event: HostEvent) -> Bool {
        self.events.withLock { $0.contains(event) }
    }
}
