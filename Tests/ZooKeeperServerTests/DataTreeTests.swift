import Testing
import ZooKeeperProtocol

@testable import ZooKeeperServer

struct DataTreeTests {
    @Test func initialTreeMatchesApache() throws {
        let tree = DataTree()
        #expect(Set(tree.nodes.keys) == ["/", "/zookeeper", "/zookeeper/quota", "/zookeeper/config"])
        let zk = try #require(tree.node(at: "/zookeeper")).clientStat
        #expect(zk.cversion == -2)
        #expect(zk.numChildren == 2)
        #expect(try #require(tree.node(at: "/")).clientStat.cversion == -1)
        let config = try #require(tree.node(at: "/zookeeper/config"))
        #expect(config.acl == ACL.readUnsafe)
        #expect(config.stat.aversion == -1)
        #expect(config.data == [])
        #expect(tree.nodeCount == 5)
    }

    @Test func sequentialNamesFollowStoredCVersion() {
        // [probe] two creates, then three create+delete pairs: e-0000000005 next, cversion 9 = 2*6-3.
        var h = TreeHarness()
        h.create("/p")
        h.create("/p/a")
        h.create("/p/b")
        for name in ["c", "d", "e"] {
            h.create("/p/\(name)")
            h.delete("/p/\(name)")
        }
        let outcome = h.create("/p/e-", flags: .persistentSequential)
        #expect(outcome.createdPath == "/p/e-0000000005")
        #expect(h.stat("/p")?.cversion == 9)
        #expect(h.stat("/p")?.numChildren == 3)
    }

    @Test func createThenDeleteThenSequentialGivesOne() {
        var h = TreeHarness()
        h.create("/q")
        h.create("/q/x")
        h.delete("/q/x")
        #expect(h.create("/q/s", flags: .persistentSequential).createdPath == "/q/s0000000001")
    }

    @Test func sequenceSuffixFormatsLikeJava() {
        #expect(PrepRequestProcessor.sequenceSuffix(0) == "0000000000")
        #expect(PrepRequestProcessor.sequenceSuffix(42) == "0000000042")
        #expect(PrepRequestProcessor.sequenceSuffix(Int32.min) == "-2147483648")
        #expect(PrepRequestProcessor.sequenceSuffix(-5) == "-000000005")
    }

    @Test func statTracksZxidsAndVersions() throws {
        var h = TreeHarness()
        h.create("/a", [1, 2, 3])
        let created = try #require(h.stat("/a"))
        #expect(created.czxid == 1 && created.mzxid == 1 && created.pzxid == 1)
        #expect(created.dataLength == 3)
        h.write(.setData(SetDataRequest(path: "/a", data: [9], version: 0)))
        let updated = try #require(h.stat("/a"))
        #expect(updated.version == 1 && updated.mzxid == 2 && updated.czxid == 1)
        #expect(h.triggers == [.dataChanged("/a")])
        h.create("/a/b")
        #expect(h.stat("/a")?.pzxid == 3)
        h.delete("/a/b")
        #expect(h.stat("/a")?.pzxid == 4)
        #expect(h.triggers == [.deleted("/a/b"), .childrenChanged("/a")])
    }

    @Test func nullAndEmptyDataDiffer() {
        var h = TreeHarness()
        h.create("/null", nil)
        h.create("/empty", [])
        #expect(h.tree.node(at: "/null")?.data == nil)
        #expect(h.tree.node(at: "/empty")?.data == [])
    }

    @Test func containerAndTTLShowOwnerZero() throws {
        var h = TreeHarness()
        h.context.extendedTypesEnabled = true
        h.create("/c", flags: .container, type: .createContainer)
        #expect(h.tree.node(at: "/c")?.stat.ephemeralOwner == EphemeralKind.containerOwner)
        #expect(h.stat("/c")?.ephemeralOwner == 0)
        h.write(
            .createTTL(CreateTTLRequest(path: "/t", data: [], acl: ACL.openUnsafe, flags: .persistentWithTTL, ttl: 500))
        )
        #expect(
            EphemeralKind(owner: try #require(h.tree.node(at: "/t")).stat.ephemeralOwner) == .ttl(milliseconds: 500)
        )
        #expect(h.stat("/t")?.ephemeralOwner == 0)
        h.create("/e", flags: .ephemeral)
        #expect(h.stat("/e")?.ephemeralOwner == 0x100)
        #expect(h.tree.ephemerals[0x100] == ["/e"])
    }

    @Test func closeSessionDeletesEphemeralsAndFires() {
        var h = TreeHarness()
        h.create("/p")
        h.create("/p/e", flags: .ephemeral)
        h.write(.closeSession)
        #expect(h.tree.node(at: "/p/e") == nil)
        #expect(h.triggers == [.deleted("/p/e"), .childrenChanged("/p")])
        #expect(h.tree.ephemerals[0x100] == nil)
    }

    @Test func descendantCount() {
        var h = TreeHarness()
        h.create("/a")
        h.create("/a/b")
        h.create("/a/b/c")
        h.create("/a/d")
        #expect(h.tree.descendantCount(of: "/a") == 3)
    }
}
