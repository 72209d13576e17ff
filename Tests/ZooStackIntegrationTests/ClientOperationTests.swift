import Testing
import ZooKeeperClient
import ZooKeeperProtocol
import ZooKeeperTestSupport

@Suite("Client operations")
struct ClientOperationTests {
    @Test(arguments: IntegrationTargets.all)
    func createGetSetDelete(target: ZooKeeperTarget) async throws {
        let bed = try await TestBed(target)
        let zk = try await bed.client()
        defer { Task { await zk.close() } }
        let path = bed.path("node")
        #expect(try await zk.create(path, data: bytes("one")) == path)
        let (data, stat) = try await zk.getData(path)
        #expect(data == bytes("one"))
        #expect(stat.version == 0)
        #expect(stat.dataLength == 3)
        #expect(stat.czxid == stat.mzxid)
        let newStat = try await zk.setData(path, data: bytes("two!"), version: 0)
        #expect(newStat.version == 1)
        #expect(newStat.dataLength == 4)
        #expect(newStat.mzxid > stat.mzxid)
        #expect(try await zk.getData(path).data == bytes("two!"))
        #expect(try await zk.exists(path)?.version == 1)
        try await zk.delete(path, version: 1)
        #expect(try await zk.exists(path) == nil)
    }

    @Test(arguments: IntegrationTargets.all)
    func statCountsChildren(target: ZooKeeperTarget) async throws {
        let bed = try await TestBed(target)
        let zk = try await bed.client()
        defer { Task { await zk.close() } }
        let parent = bed.path("p")
        let (created, stat0) = try await zk.createWithStat(parent)
        #expect(created == parent)
        #expect(stat0.numChildren == 0)
        try await zk.create(parent + "/a")
        try await zk.create(parent + "/b")
        try await zk.delete(parent + "/a")
        let (children, stat) = try await zk.getChildrenWithStat(parent)
        #expect(children == ["b"])
        #expect(stat.numChildren == 1)
        #expect(stat.cversion == 3)  // creates + deletes
        #expect(try await zk.getAllChildrenNumber(bed.base) == 2)
        #expect(try await zk.getChildren(bed.base) == ["p"])
    }

    @Test(arguments: IntegrationTargets.all)
    func commonErrors(target: ZooKeeperTarget) async throws {
        let bed = try await TestBed(target)
        let zk = try await bed.client()
        defer { Task { await zk.close() } }
        let path = bed.path("e")
        await expectKeeperError(.noNode) { _ = try await zk.getData(path) }
        await expectKeeperError(.noNode) { try await zk.create(bed.path("missing/child")) }
        try await zk.create(path)
        await expectKeeperError(.nodeExists) { try await zk.create(path) }
        await expectKeeperError(.badVersion) { try await zk.setData(path, data: [], version: 7) }
        await expectKeeperError(.badVersion) { try await zk.delete(path, version: 3) }
        try await zk.create(path + "/c")
        await expectKeeperError(.notEmpty) { try await zk.delete(path) }
        let eph = bed.path("eph")
        try await zk.create(eph, mode: .ephemeral)
        await expectKeeperError(.noChildrenForEphemerals) { try await zk.create(eph + "/x") }
        await expectKeeperError(.badArguments) { try await zk.delete("/zookeeper") }
        await expectKeeperError(.badArguments) { try await zk.create(bed.path("f"), mode: CreateMode(rawValue: 9)) }
        await expectKeeperError(.invalidACL) { try await zk.create(bed.path("acl"), acl: ACL.creatorAll) }
        await expectKeeperError(.badArguments) { try await zk.create("no-slash") }
    }

    @Test(arguments: IntegrationTargets.all)
    func nullAndEmptyData(target: ZooKeeperTarget) async throws {
        let bed = try await TestBed(target)
        let zk = try await bed.client()
        defer { Task { await zk.close() } }
        try await zk.create(bed.path("empty"), data: [])
        let (data, stat) = try await zk.getData(bed.path("empty"))
        #expect(data.isEmpty)
        #expect(stat.dataLength == 0)
    }

    @Test(arguments: IntegrationTargets.all)
    func sequentialNamesFollowTheParentsCversion(target: ZooKeeperTarget) async throws {
        let bed = try await TestBed(target)
        let zk = try await bed.client()
        defer { Task { await zk.close() } }
        let parent = bed.path("seq")
        try await zk.create(parent)
        try await zk.create(parent + "/a")
        try await zk.create(parent + "/b")
        for i in 0..<3 {
            try await zk.create(parent + "/x\(i)")
            try await zk.delete(parent + "/x\(i)")
        }
        let name = try await zk.create(parent + "/e-", mode: .persistentSequential)
        #expect(name == parent + "/e-0000000005")
        #expect(try await zk.exists(parent)?.cversion == 9)
        let eph = try await zk.create(parent + "/", mode: .ephemeralSequential)
        #expect(eph == parent + "/0000000006")
    }

    @Test(arguments: IntegrationTargets.all)
    func ephemeralNodesGoWithTheSession(target: ZooKeeperTarget) async throws {
        let bed = try await TestBed(target)
        let owner = try await bed.client()
        let observer = try await bed.client()
        defer { Task { await observer.close() } }
        let path = bed.path("eph")
        let (_, stat) = try await owner.createWithStat(path, mode: .ephemeral)
        #expect(stat.ephemeralOwner == (try await owner.session.sessionId))
        #expect(try await owner.getEphemerals(bed.base) == [path])
        await owner.close()
        #expect(try await observer.exists(path) == nil)
    }

    @Test(arguments: IntegrationTargets.all)
    func multiIsAtomic(target: ZooKeeperTarget) async throws {
        let bed = try await TestBed(target)
        let zk = try await bed.client()
        defer { Task { await zk.close() } }
        let a = bed.path("a")
        let b = bed.path("b")
        try await zk.create(b, data: bytes("b"))
        do {
            try await zk.multi([
                .create(CreateRequest(path: a, data: [], acl: ACL.openUnsafe, flags: .persistent), .create),
                .check(CheckVersionRequest(path: b, version: 5)),
                .delete(DeleteRequest(path: b, version: -1)),
            ])
            Issue.record("multi should fail")
        } catch let error as MultiError {
            #expect(error.code == .badVersion)
            #expect(error.failedIndex == 1)
            #expect(error.results == [.error(.ok), .error(.badVersion), .error(.runtimeInconsistency)])
        }
        #expect(try await zk.exists(a) == nil)
        #expect(try await zk.exists(b) != nil)

        let results = try await zk.multi([
            .create(CreateRequest(path: a, data: bytes("x"), acl: ACL.openUnsafe, flags: .persistent), .create),
            .create(CreateRequest(path: a + "/c", data: [], acl: ACL.openUnsafe, flags: .persistent), .create2),
            .setData(SetDataRequest(path: b, data: bytes("bb"), version: 0)),
            .check(CheckVersionRequest(path: b, version: 1)),
            .delete(DeleteRequest(path: a + "/c", version: 0)),
        ])
        #expect(results.count == 5)
        #expect(results[0] == .create(path: a))
        // Apache ZooKeeper 3.8 answers a create2 op inside a multi with a plain create result (type 1, no Stat).
        #expect(results[1] == .create(path: a + "/c"))
        guard case .setData(let setStat) = results[2] else {
            Issue.record("expected setData result")
            return
        }
        #expect(setStat.version == 1)
        #expect(results[3] == .check)
        #expect(results[4] == .delete)
        #expect(try await zk.getData(b).data == bytes("bb"))
        #expect(try await zk.multi([]).isEmpty)
    }

    @Test(arguments: IntegrationTargets.all)
    func multiReadFailsOpsOneByOne(target: ZooKeeperTarget) async throws {
        let bed = try await TestBed(target)
        let zk = try await bed.client()
        defer { Task { await zk.close() } }
        try await zk.create(bed.path("r"), data: bytes("r"))
        try await zk.create(bed.path("r/kid"))
        let results = try await zk.multiRead([
            .getData(GetDataRequest(path: bed.path("r"), watch: false)),
            .getData(GetDataRequest(path: bed.path("missing"), watch: false)),
            .getChildren(GetChildrenRequest(path: bed.path("r"), watch: false)),
        ])
        guard case .getData(let data, _) = results[0] else {
            Issue.record("expected getData result, got \(results[0])")
            return
        }
        #expect(data == bytes("r"))
        #expect(results[1] == .error(.noNode))
        #expect(results[2] == .getChildren(children: ["kid"]))
    }

    @Test(arguments: IntegrationTargets.all)
    func containersGoOnceEmptied(target: ZooKeeperTarget) async throws {
        let bed = try await TestBed(target)
        let zk = try await bed.client()
        defer { Task { await zk.close() } }
        let container = bed.path("box")
        let (_, stat) = try await zk.createWithStat(container, mode: .container)
        #expect(stat.ephemeralOwner == 0)
        try await zk.create(container + "/item")
        try await zk.delete(container + "/item")
        try await eventually { try await zk.exists(container) == nil }
    }

    @Test(arguments: IntegrationTargets.all)
    func ttlNodesExpire(target: ZooKeeperTarget) async throws {
        let bed = try await TestBed(target)
        let zk = try await bed.client()
        defer { Task { await zk.close() } }
        let path = bed.path("ttl")
        let (_, stat) = try await zk.createWithStat(path, mode: .persistentWithTTL, ttl: 300)
        #expect(stat.ephemeralOwner == 0)
        await expectKeeperError(.badArguments) {
            _ = try await zk.createWithStat(bed.path("bad-ttl"), mode: .persistentWithTTL, ttl: 0)
        }
        let seq = try await zk.createWithStat(bed.path("ttl-"), mode: .persistentSequentialWithTTL, ttl: 300).path
        #expect(seq == bed.path("ttl-0000000001"))
        try await eventually { try await zk.exists(path) == nil }
    }

    @Test(arguments: IntegrationTargets.all)
    func syncAndWhoAmI(target: ZooKeeperTarget) async throws {
        let bed = try await TestBed(target)
        let zk = try await bed.client()
        defer { Task { await zk.close() } }
        #expect(try await zk.sync(bed.base) == bed.base)
        let identities = try await zk.whoAmI()
        #expect(identities.contains(ClientInfo(authScheme: "ip", user: "127.0.0.1")))
    }

    @Test(arguments: IntegrationTargets.all)
    func manyRequestsInFlightAreAnsweredInOrder(target: ZooKeeperTarget) async throws {
        let bed = try await TestBed(target)
        let zk = try await bed.client()
        defer { Task { await zk.close() } }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<500 {
                group.addTask { try await zk.create(bed.path("n\(i)"), data: bytes("\(i)")) }
            }
            try await group.waitForAll()
        }
        try await withThrowingTaskGroup(of: (Int, [UInt8]).self) { group in
            for i in 0..<500 {
                group.addTask { (i, try await zk.getData(bed.path("n\(i)")).data) }
            }
            for try await (i, data) in group {
                #expect(data == bytes("\(i)"))
            }
        }
        #expect(try await zk.getChildren(bed.base).count == 500)
    }
}
