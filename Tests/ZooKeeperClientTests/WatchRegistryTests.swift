import Testing
import ZooKeeperProtocol

@testable import ZooKeeperClient

@Suite("WatchRegistry")
struct WatchRegistryTests {
    private func sink(oneShot: Bool = true) -> WatchSink {
        let (_, continuation) = AsyncThrowingStream.makeStream(of: WatchEvent.self)
        return WatchSink(continuation: continuation, oneShot: oneShot)
    }

    @Test
    func dataChangesTriggerDataAndExistWatchesOnce() {
        var registry = WatchRegistry()
        let data = self.sink()
        let exist = self.sink()
        let child = self.sink()
        registry.add(data, kind: .data, path: "/a")
        registry.add(exist, kind: .exist, path: "/a")
        registry.add(child, kind: .child, path: "/a")
        let fired = registry.materialize(type: .nodeDataChanged, path: "/a")
        #expect(fired.map(ObjectIdentifier.init) == [ObjectIdentifier(data), ObjectIdentifier(exist)])
        #expect(registry.materialize(type: .nodeDataChanged, path: "/a").isEmpty)
        #expect(
            registry.materialize(type: .nodeChildrenChanged, path: "/a").map(ObjectIdentifier.init) == [
                ObjectIdentifier(child)
            ]
        )
        #expect(registry.isEmpty)
    }

    @Test
    func deletionTriggersEveryOneShotWatchOfThePath() {
        var registry = WatchRegistry()
        registry.add(self.sink(), kind: .data, path: "/a")
        registry.add(self.sink(), kind: .child, path: "/a")
        registry.add(self.sink(), kind: .data, path: "/b")
        #expect(registry.materialize(type: .nodeDeleted, path: "/a").count == 2)
        #expect(!registry.isEmpty)
    }

    @Test
    func persistentWatchesStayAndRecursiveOnesSeeDescendantsButNotChildEvents() {
        var registry = WatchRegistry()
        let persistent = self.sink(oneShot: false)
        let recursive = self.sink(oneShot: false)
        registry.add(persistent, kind: .persistent, path: "/a")
        registry.add(recursive, kind: .persistentRecursive, path: "/")
        #expect(registry.materialize(type: .nodeDataChanged, path: "/a").count == 2)
        #expect(registry.materialize(type: .nodeDataChanged, path: "/a").count == 2)
        #expect(
            registry.materialize(type: .nodeCreated, path: "/a/b/c").map(ObjectIdentifier.init) == [
                ObjectIdentifier(recursive)
            ]
        )
        #expect(
            registry.materialize(type: .nodeChildrenChanged, path: "/a").map(ObjectIdentifier.init) == [
                ObjectIdentifier(persistent)
            ]
        )
        #expect(registry.materialize(type: .nodeChildrenChanged, path: "/x").isEmpty)
    }

    @Test
    func removeByType() {
        var registry = WatchRegistry()
        registry.add(self.sink(), kind: .data, path: "/a")
        registry.add(self.sink(), kind: .exist, path: "/a")
        registry.add(self.sink(), kind: .child, path: "/a")
        registry.add(self.sink(oneShot: false), kind: .persistent, path: "/a")
        #expect(registry.remove(path: "/a", type: .data).map(\.1) == [.dataWatchRemoved, .dataWatchRemoved])
        #expect(registry.remove(path: "/a", type: .children).map(\.1) == [.childWatchRemoved])
        #expect(registry.remove(path: "/a", type: .any).map(\.1) == [.persistentWatchRemoved])
        #expect(registry.isEmpty)
    }

    @Test
    func setWatchesBatchesByPathBytes() {
        var registry = WatchRegistry()
        for i in 0..<100 { registry.add(self.sink(), kind: .data, path: "/node-\(i)") }
        registry.add(self.sink(oneShot: false), kind: .persistentRecursive, path: "/r")
        let one = registry.setWatchesRequests(relativeZxid: 7)
        #expect(one.count == 1)
        #expect(one[0].relativeZxid == 7)
        #expect(one[0].dataWatches.count == 100)
        #expect(one[0].persistentRecursiveWatches == ["/r"])
        #expect(one[0].opCode == .setWatches2)
        let batches = registry.setWatchesRequests(relativeZxid: 7, batchBytes: 100)
        #expect(batches.count > 1)
        #expect(batches.reduce(0) { $0 + $1.count } == 101)
    }
}
