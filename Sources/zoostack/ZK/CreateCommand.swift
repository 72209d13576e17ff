import ArgumentParser
import ZooKeeperClient
import ZooKeeperProtocol

extension ZooStack.ZK {
    /// `create [-s] [-e] [-c] [-t ttl] path [data] [acl]`: creates a znode and prints `Created <path>`.
    struct CreateCommand: ZKCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Create a znode.",
            discussion: """
                Prints "Created <path>" with the name the server chose (for -s, the sequence suffix). \
                An ACL is comma-separated scheme:id:perms entries, e.g. world:anyone:cdrwa, \
                digest:user:base64hash:cdrwa, auth::cdrwa, ip:127.0.0.1:r.
                """
        )

        @ParentCommand var zk: ZooStack.ZK

        @Flag(name: .customShort("s"), help: "Sequential: the server appends a 10-digit counter to the name.")
        var sequential = false

        @Flag(name: .customShort("e"), help: "Ephemeral: the znode goes when this command's session ends.")
        var ephemeral = false

        @Flag(name: .customShort("c"), help: "Container: the server deletes it once its last child is gone.")
        var container = false

        @Option(
            name: .customShort("t"),
            help: ArgumentHelp(
                "Time to live in milliseconds: deleted once unchanged and childless for that long.",
                valueName: "ttl"
            )
        )
        var ttl: Int64?

        @Argument(help: "The znode's path (with -s, the prefix of its name).")
        var path: String

        @Argument(help: "The data, as UTF-8 text.")
        var data: String = ""

        @Argument(help: "The ACL (default world:anyone:cdrwa).")
        var acl: String?

        func validate() throws {
            if self.container && (self.sequential || self.ephemeral) {
                throw ValidationError(
                    "-c cannot be combined with -s or -e. Containers cannot be ephemeral or sequential."
                )
            }
            if let ttl = self.ttl {
                if self.ephemeral { throw ValidationError("TTLs cannot be used with Ephemeral znodes") }
                if self.container { throw ValidationError("TTLs cannot be used with Container znodes") }
                if ttl <= 0 { throw ValidationError("-t must be a positive number of milliseconds") }
            }
            try Self.validatePath(self.path, sequential: self.sequential)
            if let acl = self.acl { _ = try ACLParser.parse(acl) }
        }

        /// The create mode the flags select.
        var mode: CreateMode {
            switch (self.ephemeral, self.sequential) {
            case _ where self.container: .container
            case _ where self.ttl != nil: self.sequential ? .persistentSequentialWithTTL : .persistentWithTTL
            case (true, true): .ephemeralSequential
            case (true, false): .ephemeral
            case (false, true): .persistentSequential
            case (false, false): .persistent
            }
        }

        func execute(on client: ZooKeeperClient) async throws {
            let acl = try self.acl.map(ACLParser.parse) ?? ACL.openUnsafe
            let created = try await client.create(
                self.path,
                data: Array(self.data.utf8),
                acl: acl,
                mode: self.mode,
                ttl: self.ttl
            )
            Console.out("Created \(created)")
        }
    }
}
