import ClusterHarness
import Coordination
import Foundation
import Testing
import ZooKeeperClient
import ZooKeeperProtocol

extension ClusterProcessTests {
    static let shardedHostCount = 30_000

    /// Issue 18: 30,000 hosts of 36-character ids, past the ~26,000 one flat `/hosts` node could list within
    /// `jute.maxbuffer`: a management server's directory sees them all and the leader owns them all, no node
    /// under the root has more than ``ZNodeLayout/maxChildren`` children, and every bucket lists in one reply.
    /// ZooKeeper runs as its own process (so that the load does not starve other tests' in-process server).
    @Test(.timeLimit(.minutes(8)), arguments: CoordinationKind.allCases)
    func thirtyThousandHostsAreSeenAndOwnedWithinTheBound(_ kind: CoordinationKind) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zs-shard-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let backend = try await CoordinationBackend.start(kind, binary: ZooStackBinary.url, directory: directory)
        let root = "/t-\(UInt32.random(in: .min ... .max))/zoostack"
        let layout = ZNodeLayout(root: root)
        let coordinator = try await Coordinator.start(
            configuration: CoordinationConfiguration(
                connectString: backend.connectString,
                rootPath: root,
                sessionTimeout: .seconds(10),
                serverId: "ms-1",
                address: "127.0.0.1:8080",
                version: "test",
                credentials: nil
            )
        )
        let agents = try await ZooKeeperClient.connect(
            configuration: try ZooKeeperClientConfiguration(
                connectString: backend.connectString,
                sessionTimeout: .seconds(10)
            )
        )
        do {
            try await Self.registerAndCheck(layout: layout, coordinator: coordinator, agents: agents)
        } catch {
            Issue.record("\(kind): \(error)")
        }
        await agents.close()
        await coordinator.stop()
        await backend.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }

    static func registerAndCheck(layout: ZNodeLayout, coordinator: Coordinator, agents: ZooKeeperClient) async throws {
        // One session registers them all, 500 to a multi (as a process simulating many hosts could).
        let ids = (0..<Self.shardedHostCount).map { _ in UUID().uuidString.lowercased() }
        let data = Array(
            try JSONEncoder().encode(
                HostInfo(id: "x", address: "127.0.0.1:1", cpuCores: 8, cpuSpeedMHz: 2000, memoryBytes: 16 << 30)
            )
        )
        // The buckets first, as each agent's registration makes its own on demand.
        for bucket in Set(ids.map { layout.hostBucket(of: $0) }).sorted() {
            do {
                try await agents.create(bucket)
            } catch let error as KeeperError where error.code == .nodeExists {}
        }
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
        _ = try await poll("the directory sees every host", timeout: .seconds(240)) {
            directory.lastKnownHosts.count == Self.shardedHostCount
        }
        #expect(Set(try await directory.hosts().map(\.id)) == Set(ids))
        _ = try await poll("every host owned", timeout: .seconds(240)) {
            coordinator.hostOwners().count == Self.shardedHostCount
        }
        #expect(Set(coordinator.hostOwners().keys) == Set(ids))
        #expect(Set(coordinator.hostOwners().values) == ["ms-1"])

        // No node under the root has more children than the bound; every bucket lists in one reply.
        for parent in [layout.root] + layout.persistentNodes {
            let (children, stat) = try await agents.getChildrenWithStat(parent)
            #expect(children.count <= ZNodeLayout.maxChildren && stat.numChildren <= ZNodeLayout.maxChildren)
        }
        for parent in [layout.hosts, layout.hostOwners] {
            let buckets = try await agents.getChildren(parent)
            #expect(buckets.count == layout.hostBuckets, "\(parent)")
            var total = 0
            for bucket in buckets {
                let leaves = try await agents.getChildren(parent + "/" + bucket)
                #expect(leaves.count <= ZNodeLayout.maxChildren)
                #expect(leaves.allSatisfy { layout.bucket(of: $0) == bucket })
                total += leaves.count
            }
            #expect(total == Self.shardedHostCount, "\(parent)")
        }
    }
}
