import ArgumentParser
import ZooKeeperClient
import ZooKeeperProtocol

extension ZooStack.ZK {
    /// `getacl [-s] path`: a znode's ACL, two lines per entry (`'world,'anyone` then `: cdrwa`).
    struct GetACLCommand: ZKCommand {
        static let configuration = CommandConfiguration(
            commandName: "getacl",
            abstract: "Print a znode's ACL.",
            aliases: ["getAcl"]
        )

        @ParentCommand var zk: ZooStack.ZK

        @Flag(name: .customShort("s"), help: "Also print the znode's Stat.")
        var stat = false

        @Argument(help: "The znode's path.")
        var path: String

        func validate() throws {
            try Self.validatePath(self.path)
        }

        func execute(on client: ZooKeeperClient) async throws {
            let (acl, stat) = try await client.getACL(self.path)
            for entry in acl {
                for line in ZKFormat.aclLines(entry) { Console.out(line) }
            }
            if self.stat {
                for line in ZKFormat.statLines(stat) { Console.out(line) }
            }
        }
    }

    /// `setacl [-s] [-v version] path acl`: replaces a znode's ACL.
    struct SetACLCommand: ZKCommand {
        static let configuration = CommandConfiguration(
            commandName: "setacl",
            abstract: "Replace a znode's ACL.",
            discussion: """
                An ACL is comma-separated scheme:id:perms entries, e.g. world:anyone:cdrwa, \
                digest:user:base64hash:cdrwa, auth::cdrwa, ip:127.0.0.1:r.
                """,
            aliases: ["setAcl"]
        )

        @ParentCommand var zk: ZooStack.ZK

        @Flag(name: .customShort("s"), help: "Print the znode's new Stat.")
        var stat = false

        @Option(name: .customShort("v"), help: "The expected ACL version (default: any).")
        var version: Int32 = -1

        @Argument(help: "The znode's path.")
        var path: String

        @Argument(help: "The new ACL.")
        var acl: String

        func validate() throws {
            try Self.validatePath(self.path)
            _ = try ACLParser.parse(self.acl)
        }

        func execute(on client: ZooKeeperClient) async throws {
            let stat = try await client.setACL(self.path, acl: try ACLParser.parse(self.acl), version: self.version)
            if self.stat {
                for line in ZKFormat.statLines(stat) { Console.out(line) }
            }
        }
    }
}
