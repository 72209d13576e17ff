import Foundation
import Testing

/// `zoostack zk ...` against a real Apache ZooKeeper: stdout, stderr and exit codes as zkCli.sh's.
@Suite
struct ZKCommandTests {
    /// A root znode of this test's own, so tests can share one server.
    let root = "/cli-\(UInt32.random(in: .min ... .max))"

    func zk(_ arguments: String...) async throws -> ZooStackExecutable.Result {
        let server = try await CLIZooKeeper.connectString()
        return try await ZooStackExecutable.run(["zk", "--server", server] + arguments)
    }

    @Test func createListGetSet() async throws {
        #expect(try await self.zk("create", self.root, "hello").stdout == "Created \(self.root)\n")
        #expect(try await self.zk("create", "\(self.root)/b").stdout == "Created \(self.root)/b\n")
        #expect(try await self.zk("create", "\(self.root)/a", "x").status == 0)
        let sequential = try await self.zk("create", "-s", "\(self.root)/seq-")
        #expect(sequential.stdout == "Created \(self.root)/seq-0000000002\n")

        #expect(try await self.zk("ls", self.root).stdout == "[a, b, seq-0000000002]\n")
        #expect(try await self.zk("get", self.root).stdout == "hello\n")

        let set = try await self.zk("set", self.root, "world")
        #expect(set.status == 0)
        #expect(set.stdout.isEmpty)
        let get = try await self.zk("get", "-s", self.root)
        let lines = get.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "world")
        #expect(lines.contains("dataVersion = 1"))
        #expect(lines.contains("numChildren = 3"))
        #expect(lines.contains("dataLength = 5"))
    }

    @Test func statPrintsZkCliBlock() async throws {
        _ = try await self.zk("create", self.root, "12345")
        let result = try await self.zk("stat", self.root)
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let keys = lines.map { $0.components(separatedBy: " = ").first ?? "" }
        #expect(
            keys == [
                "cZxid", "ctime", "mZxid", "mtime", "pZxid", "cversion", "dataVersion", "aclVersion",
                "ephemeralOwner", "dataLength", "numChildren",
            ]
        )
        #expect(lines[0].wholeMatch(of: /cZxid = 0x[0-9a-f]+/) != nil)
        // java.util.Date.toString(): EEE MMM dd HH:mm:ss zzz yyyy.
        #expect(lines[1].wholeMatch(of: /ctime = [A-Z][a-z]{2} [A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d \S+ \d{4}/) != nil)
        #expect(lines[8] == "ephemeralOwner = 0x0")
        #expect(lines[9] == "dataLength = 5")
    }

    @Test func lsWithStatAndRecursive() async throws {
        _ = try await self.zk("create", self.root)
        _ = try await self.zk("create", "\(self.root)/x")
        _ = try await self.zk("create", "\(self.root)/x/y")
        _ = try await self.zk("create", "\(self.root)/w")
        let withStat = try await self.zk("ls", "-s", self.root)
        #expect(withStat.stdout.hasPrefix("[w, x]\ncZxid = 0x"))
        #expect(withStat.stdout.contains("\nnumChildren = 2\n"))
        let recursive = try await self.zk("ls", "-R", self.root)
        #expect(recursive.stdout == "\(self.root)\n\(self.root)/w\n\(self.root)/x\n\(self.root)/x/y\n")
    }

    @Test func errorsGoToStderrWithStatusOne() async throws {
        _ = try await self.zk("create", self.root)
        _ = try await self.zk("create", "\(self.root)/child")
        let cases: [([String], String)] = [
            (["get", "\(self.root)/missing"], "Node does not exist: \(self.root)/missing"),
            (["ls", "\(self.root)/missing"], "Node does not exist: \(self.root)/missing"),
            (["stat", "\(self.root)/missing"], "Node does not exist: \(self.root)/missing"),
            (["create", self.root], "Node already exists: \(self.root)"),
            (["delete", self.root], "Node not empty: \(self.root)"),
            (["set", self.root, "x", "-v", "7"], "version No is not valid : \(self.root)"),
            (["delete", "-v", "3", "\(self.root)/child"], "version No is not valid : \(self.root)/child"),
            (["create", "\(self.root)/a", "d", "nosuch:scheme:r"], "Acl is not valid : \(self.root)/a"),
        ]
        for (arguments, message) in cases {
            let server = try await CLIZooKeeper.connectString()
            let result = try await ZooStackExecutable.run(["zk", "--server", server] + arguments)
            #expect(result.status == 1, "\(arguments)")
            #expect(result.stdout.isEmpty, "\(arguments)")
            #expect(result.stderr == message + "\n", "\(arguments)")
        }
    }

    @Test func getACLAndSetACL() async throws {
        _ = try await self.zk("create", self.root)
        #expect(try await self.zk("getacl", self.root).stdout == "'world,'anyone\n: cdrwa\n")

        let set = try await self.zk("setacl", self.root, "world:anyone:r,ip:127.0.0.1:cdrwa")
        #expect(set.status == 0)
        #expect(try await self.zk("getacl", self.root).stdout == "'world,'anyone\n: r\n'ip,'127.0.0.1\n: cdrwa\n")

        _ = try await self.zk("setacl", self.root, "world:anyone:r")
        let denied = try await self.zk("create", "\(self.root)/x")
        #expect(denied.status == 1)
        #expect(denied.stderr == "Insufficient permission : \(self.root)/x\n")
        let adminDenied = try await self.zk("setacl", self.root, "world:anyone:cdrwa")
        #expect(adminDenied.stderr == "Insufficient permission : \(self.root)\n")
    }

    @Test func digestAuthACL() async throws {
        let created = try await self.zk("--auth", "digest:bob:secret", "create", self.root, "d", "auth::cdrwa")
        #expect(created.status == 0)
        // digest:bob:base64(sha1("bob:secret")), as DigestAuthenticationProvider.generateDigest makes it.
        let acl = try await self.zk("--auth", "digest:bob:secret", "getacl", self.root)
        #expect(acl.stdout == "'digest,'bob:fyVmFCwVbTJYrznoSu1koqYEYF0=\n: cdrwa\n")
        #expect(try await self.zk("get", self.root).stderr == "Insufficient permission : \(self.root)\n")
        #expect(try await self.zk("--auth", "digest:bob:secret", "get", self.root).stdout == "d\n")
        #expect(try await self.zk("--auth", "digest:bob:secret", "delete", self.root).status == 0)
    }

    @Test func deleteAndDeleteAll() async throws {
        _ = try await self.zk("create", self.root)
        for child in ["a", "b", "a/c", "a/c/d"] { _ = try await self.zk("create", "\(self.root)/\(child)") }
        #expect(try await self.zk("delete", "\(self.root)/b").status == 0)
        #expect(try await self.zk("ls", self.root).stdout == "[a]\n")
        let all = try await self.zk("deleteall", self.root)
        #expect(all.status == 0)
        #expect(all.stdout.isEmpty)
        #expect(try await self.zk("stat", self.root).status == 1)
    }

    @Test func createModes() async throws {
        _ = try await self.zk("create", self.root)
        #expect(try await self.zk("create", "-e", "\(self.root)/e").stdout == "Created \(self.root)/e\n")
        // The ephemeral node went with the command's session.
        #expect(try await self.zk("ls", self.root).stdout == "[]\n")
        #expect(try await self.zk("create", "-c", "\(self.root)/c").status == 0)
        #expect(try await self.zk("create", "-t", "60000", "\(self.root)/t").status == 0)
        #expect(try await self.zk("ls", self.root).stdout == "[c, t]\n")
    }
}
