import ArgumentParser
import ZooKeeperClient
import ZooKeeperProtocol

extension ZooStack {
    /// `zoostack zk`: one ZooKeeper command per invocation, printing what Apache ZooKeeper 3.8's `zkCli.sh` prints.
    struct ZK: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "zk",
            abstract: "Run one ZooKeeper command, with zkCli.sh's output.",
            discussion: """
                Results go to stdout and errors to stderr. Exit status: 0 on success, 1 when the server \
                refused the operation (e.g. Node does not exist), 2 when no session could be established or \
                the connection was lost, 64 on a usage error.
                """,
            subcommands: [
                LsCommand.self,
                GetCommand.self,
                SetCommand.self,
                CreateCommand.self,
                DeleteCommand.self,
                DeleteAllCommand.self,
                StatCommand.self,
                GetACLCommand.self,
                SetACLCommand.self,
                WatchCommand.self,
            ]
        )

        @OptionGroup var connection: ZKConnectionOptions
    }
}

/// A `zoostack zk` subcommand: runs against a connected client made from the parent's connection options.
protocol ZKCommand: AsyncParsableCommand {
    /// The `zk` command, holding the connection options.
    var zk: ZooStack.ZK { get }

    /// Runs the command.
    /// - Parameter client: a client with a live session.
    /// - Throws: `KeeperError` for errors to report as zkCli.sh does.
    func execute(on client: ZooKeeperClient) async throws
}

extension ZKCommand {
    func run() async throws {
        try await ZKSession.run(self.zk.connection) { client in
            try await self.execute(on: client)
        }
    }
}

extension ZKCommand {
    /// Refuses a path ZooKeeper would refuse, before connecting (zkCli.sh prints the same reason).
    /// - Parameters:
    ///   - path: the path.
    ///   - sequential: whether a trailing `/` is allowed (a sequential create's prefix).
    /// - Throws: `ValidationError`.
    static func validatePath(_ path: String, sequential: Bool = false) throws {
        do {
            try PathValidation.validate(path, isSequential: sequential)
        } catch {
            throw ValidationError(error.description)
        }
    }
}
