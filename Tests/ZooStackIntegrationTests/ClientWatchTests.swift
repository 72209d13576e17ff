import Testing
import ZooKeeperClient
import ZooKeeperProtocol
import ZooKeeperTestSupport

@Suite("Client watches")
struct ClientWatchTests {
    @Test(arguments: IntegrationTargets.all)
    func oneShotWatchesFireOnce(target: ZooKeeperTarget) async throws {
        let bed = try await TestBed(target)
        let zk = try await bed.client()
        let other = try await bed.client()
        defer {
            Task {
                await zk.close()
                await other.close()
            }
        }
        let path = bed.path("w")
        let (missing, existsWatch) = try await zk.existsWatch(path)
        #expect(missing == nil)
        try await other.create(path, data: bytes("1"))
        #expect(try await fired(existsWatch) == WatchEvent(type: .nodeCreated, path: path))

        let (_, _, dataWatch) = try await zk.getDataWatch(path)
        let (_, _, childWatch) = try await zk.getChildrenWatch(path)
        try await other.setData(path, data: bytes("2"))
        #expect(try await fired(dataWatch) == WatchEvent(type: .nodeDataChanged, path: path))
        #expect(!childWatch.isTriggered)
        try await other.create(path + "/kid")
        #expect(try await fired(childWatch) == WatchEvent(type: .nodeChildrenChanged, path: path))

        let (_, _, deleteWatch) = try await zk.getDataWatch(path + "/kid")
        try await other.delete(path + "/kid")
        #expect(try await fired(deleteWatch) == WatchEvent(type: .nodeDeleted, path: path + "/kid"))
    }

    @Test(arguments: IntegrationTargets.all)
    func aWatchFiresBeforeTheReadThatSeesTheChange(target: ZooKeeperTarget) async throws {
        let bed = try await TestBed(target)
        let zk = try await bed.client()
        let writer = try await bed.client()
        defer {
            Task {
                await zk.close()
                await writer.close()
            }
        }
        let path = bed.path("order")
        try await zk.create(path, data: bytes("0"))
        for round in 1...20 {
            let (_, _, watch) = try await zk.getDataWatch(path)
            try await writer.setData(path, data: bytes("\(round)"))
            // Read until the change shows; the watch must have fired by then.
            while try await zk.getData(path).data != bytes("\(round)") {}
            #expect(watch.isTriggered, "round \(round)")
        }
        // The same holds for the client's own writes.
        let (_, _, own) = try await zk.getDataWatch(path)
        try await zk.setData(path, data: bytes("own"))
        #expect(own.isTriggered)
    }

    @Test(arguments: IntegrationTargets.all)
    func persistentWatchesStay(target: ZooKeeperTarget) async throws {
        let bed = try await TestBed(target)
        let zk = try await bed.client()
        let other = try await bed.client()
        defer {
            Task {
                await zk.close()
                await other.close()
            }
        }
        let path = bed.path("pw")
        try await zk.create(path)
        let events = try await zk.addWatch(path, mode: .persistent)
        try await other.setData(path, data: bytes("a"))
        try await other.setData(path, data: bytes("b"))
        try await other.create(path + "/c")
        #expect(try await next(events) == WatchEvent(type: .nodeDataChanged, path: path))
        #expect(try await next(events) == WatchEvent(type: .nodeDataChanged, path: path))
        #expect(try await next(events) == WatchEvent(type: .nodeChildrenChanged, path: path))
        try await zk.removeWatches(path, type: .any)
        #expect(try await next(events) == WatchEvent(type: .persistentWatchRemoved, path: path))
        #expect(try await next(events) == nil)
    }

    @Test(arguments: IntegrationTargets.all)
    func recursiveWatchesSeeTheSubtree(target: ZooKeeperTarget) async throws {
        let bed = try await TestBed(target)
        let zk = try await bed.client()
        let other = try await bed.client()
        defer {
            Task {
                await zk.close()
                await other.close()
            }
        }
        let root = bed.path("tree")
        try await zk.create(root)
        let events = try await zk.addWatch(root, mode: .persistentRecursive)
        try await other.create(root + "/a")
        try await other.create(root + "/a/b", data: bytes("x"))
        try await other.setData(root + "/a/b", data: bytes("y"))
        try await other.delete(root + "/a/b")
        #expect(try await next(events) == WatchEvent(type: .nodeCreated, path: root + "/a"))
        #expect(try await next(events) == WatchEvent(type: .nodeCreated, path: root + "/a/b"))
        #expect(try await next(events) == WatchEvent(type: .nodeDataChanged, path: root + "/a/b"))
        #expect(try await next(events) == WatchEvent(type: .nodeDeleted, path: root + "/a/b"))
    }

    @Test(arguments: IntegrationTargets.all)
    func removeWatchesEndsThem(target: ZooKeeperTarget) async throws {
        let bed = try await TestBed(target)
        let zk = try await bed.client()
        defer { Task { await zk.close() } }
        let path = bed.path("rw")
        try await zk.create(path)
        let (_, _, watch) = try await zk.getDataWatch(path)
        try await zk.checkWatches(path, type: .data)
        try await zk.removeWatches(path, type: .data)
        #expect(try await fired(watch) == WatchEvent(type: .dataWatchRemoved, path: path))
        await expectKeeperError(.noWatcher) { try await zk.removeWatches(path, type: .data) }
        await expectKeeperError(.noWatcher) { try await zk.checkWatches(path, type: .children) }
    }

    @Test(arguments: IntegrationTargets.all)
    func chrootIsAppliedAndStripped(target: ZooKeeperTarget) async throws {
        let bed = try await TestBed(target)
        let root = try await bed.client()
        let jailed = try await bed.client(chroot: bed.base)
        defer {
            Task {
                await root.close()
                await jailed.close()
            }
        }
        #expect(try await jailed.create("/x", data: bytes("in")) == "/x")
        #expect(try await root.getData(bed.path("x")).data == bytes("in"))
        #expect(try await jailed.getChildren("/") == ["x"])
        #expect(try await jailed.create("/s-", mode: .ephemeralSequential) == "/s-0000000001")
        #expect(try await jailed.getEphemerals("/") == ["/s-0000000001"])
        let (_, _, watch) = try await jailed.getDataWatch("/x")
        let events = try await jailed.addWatch("/", mode: .persistentRecursive)
        try await root.setData(bed.path("x"), data: bytes("out"))
        #expect(try await fired(watch) == WatchEvent(type: .nodeDataChanged, path: "/x"))
        #expect(try await next(events) == WatchEvent(type: .nodeDataChanged, path: "/x"))
        let results = try await jailed.multi([
            .create(CreateRequest(path: "/m", data: [], acl: ACL.openUnsafe, flags: .persistent), .create)
        ])
        #expect(results == [.create(path: "/m")])
    }
}
