import Testing
import ZooKeeperProtocol

@testable import ZooKeeperServer

struct PrepRequestProcessorTests {
    @Test(arguments: [
        ("/q//x", KeeperError.Code.noNode),  // parent "/q/" looked up before the full path is validated
        ("/q/", .badArguments),
        ("noslash", .badArguments),
        ("/q/a\u{0}b", .badArguments),
        ("/q/.", .badArguments),
        ("/missing/x", .noNode),
    ])
    func createPathChecksInApacheOrder(path: String, code: KeeperError.Code) {
        var h = TreeHarness()
        h.create("/q")
        #expect(h.create(path).code == code)
    }

    @Test func createErrors() {
        var h = TreeHarness()
        h.create("/a")
        #expect(h.create("/a").code == .nodeExists)
        h.create("/eph", flags: .ephemeral)
        #expect(h.create("/eph/child").code == .noChildrenForEphemerals)
        #expect(h.create("/x", flags: CreateMode(rawValue: 7)).code == .badArguments)
        #expect(h.create("/x", flags: .persistentWithTTL).code == .unimplemented)
        #expect(h.create("/x", acl: []).code == .invalidACL)
        #expect(h.create("/x", acl: [ACL(perms: .all, id: Id(scheme: "auth", id: ""))]).code == .invalidACL)
        #expect(h.create("/x", acl: [ACL(perms: .all, id: Id(scheme: "nope", id: "x"))]).code == .invalidACL)
        #expect(h.create("/x", acl: [ACL(perms: .all, id: Id(scheme: "digest", id: "nocolon"))]).code == .invalidACL)
        #expect(h.create("/x", acl: [ACL(perms: .all, id: Id(scheme: "ip", id: "10.0.0.0/8"))]).code == .ok)
    }

    @Test func ttlRangeIsChecked() {
        var h = TreeHarness()
        h.context.extendedTypesEnabled = true
        let ttl = { (ttl: Int64) in
            WriteRequest.createTTL(
                CreateTTLRequest(path: "/t\(ttl)", data: [], acl: ACL.openUnsafe, flags: .persistentWithTTL, ttl: ttl)
            )
        }
        #expect(h.write(ttl(0)).code == .badArguments)
        #expect(h.write(ttl(1 << 40)).code == .badArguments)
        #expect(h.write(ttl(1000)).code == .ok)
        // A TTL flag on a plain create carries ttl -1: out of range.
        #expect(h.create("/x", flags: .persistentWithTTL).code == .badArguments)
    }

    @Test func deleteChecks() {
        var h = TreeHarness()
        for special in ["/", "/zookeeper", "/zookeeper/quota", "/zookeeper/config"] {
            #expect(h.delete(special).code == .badArguments)
        }
        h.create("/a")
        h.create("/a/b")
        #expect(h.delete("/a", version: 5).code == .badVersion)  // -103 beats -111
        #expect(h.delete("/a").code == .notEmpty)
        #expect(h.delete("/nope").code == .noNode)
        #expect(h.delete("/a/b", version: 0).code == .ok)
    }

    @Test func aclChecks() {
        var h = TreeHarness()
        let alice = Id(scheme: "digest", id: DigestAuth.digestId("alice:secret"))
        h.context.authIds.append(alice)
        h.create("/private", acl: [ACL(perms: .all, id: .authIds)])
        #expect(h.tree.node(at: "/private")?.acl == [ACL(perms: .all, id: alice)])
        h.create("/ro", acl: ACL.readUnsafe)
        h.context.authIds = [Id(scheme: "ip", id: "127.0.0.1")]
        #expect(h.create("/private/x").code == .noAuth)
        #expect(h.write(.setData(SetDataRequest(path: "/private", data: [], version: -1))).code == .noAuth)
        #expect(h.write(.setData(SetDataRequest(path: "/ro", data: [], version: -1))).code == .noAuth)
        #expect(h.write(.setData(SetDataRequest(path: "/zookeeper/config", data: [], version: -1))).code == .noAuth)
        h.context.authIds.append(ACLPolicy.superId)
        #expect(h.create("/private/x").code == .ok)
    }

    @Test func ipACLMatchesCIDR() {
        #expect(IPAddressMatcher.matches(address: "10.1.2.3", pattern: "10.0.0.0/8"))
        #expect(!IPAddressMatcher.matches(address: "11.1.2.3", pattern: "10.0.0.0/8"))
        #expect(IPAddressMatcher.matches(address: "127.0.0.1", pattern: "127.0.0.1"))
        #expect(IPAddressMatcher.matches(address: "::1", pattern: "0:0:0:0:0:0:0:1"))
        #expect(!IPAddressMatcher.isValidPattern("10.0.0.0/33"))
    }

    @Test func multiRollsBackWithApacheResults() {
        // [probe] [create, check(bad version), delete] gave [(-1,0), (-1,-103), (-1,-2)] and created nothing.
        var h = TreeHarness()
        h.create("/m")
        let before = h.tree.lastProcessedZxid
        let outcome = h.write(
            .multi(
                MultiRequest(ops: [
                    .create(CreateRequest(path: "/m/a", data: [], acl: ACL.openUnsafe, flags: .persistent), .create),
                    .check(CheckVersionRequest(path: "/m", version: 7)),
                    .delete(DeleteRequest(path: "/m", version: -1)),
                ])
            )
        )
        #expect(outcome == .multi([.failed(.ok), .failed(.badVersion), .failed(.runtimeInconsistency)]))
        #expect(h.tree.node(at: "/m/a") == nil)
        #expect(h.tree.lastProcessedZxid == before + 1)  // a failed multi still takes a zxid
        #expect(h.triggers.isEmpty)
    }

    @Test func multiOpsSeeEarlierOps() {
        var h = TreeHarness()
        let outcome = h.write(
            .multi(
                MultiRequest(ops: [
                    .create(CreateRequest(path: "/n", data: [], acl: ACL.openUnsafe, flags: .persistent), .create),
                    .create(
                        CreateRequest(path: "/n/s-", data: [], acl: ACL.openUnsafe, flags: .persistentSequential),
                        .create2
                    ),
                    .setData(SetDataRequest(path: "/n", data: [1], version: 0)),
                    .check(CheckVersionRequest(path: "/n", version: 1)),
                    .delete(DeleteRequest(path: "/n/s-0000000000", version: 0)),
                ])
            )
        )
        guard case .multi(let results) = outcome else {
            Issue.record("not a multi outcome")
            return
        }
        #expect(results.map(\.code) == [.ok, .ok, .ok, .ok, .ok])
        #expect(results[1].createdPath == "/n/s-0000000000")
        #expect(h.stat("/n")?.version == 1)
        #expect(h.stat("/n")?.numChildren == 0)
        #expect(h.stat("/n")?.cversion == 2)
    }

    @Test func multiWithReadIsMarshallingError() {
        var h = TreeHarness()
        let outcome = h.write(.multi(MultiRequest(ops: [.getData(GetDataRequest(path: "/", watch: false))])))
        #expect(outcome == .failed(.marshallingError))
    }

    @Test func versionWrapSkipsMinusOne() {
        var h = TreeHarness()
        h.create("/v")
        h.tree.restore(
            path: "/v",
            data: [],
            acl: ACL.openUnsafe,
            stat: StatPersisted(
                czxid: 1,
                mzxid: 1,
                ctime: 0,
                mtime: 0,
                version: -2,
                cversion: 0,
                aversion: 0,
                ephemeralOwner: 0,
                pzxid: 1
            )
        )
        h.write(.setData(SetDataRequest(path: "/v", data: [], version: -1)))
        #expect(h.stat("/v")?.version == 0)
    }
}
