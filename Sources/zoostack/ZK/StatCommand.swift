import ArgumentParser
import ZooKeeperClient
import ZooKeeperProtocol

extension ZooStack.ZK {
    /// `stat path`: a znode's Stat, as zkCli.sh prints it.
    struct StatCommand: ZKCommand {
        static let configuration = CommandConfiguration(
            commandName: "stat",
            abstract: "Print a znode's Stat."
        )

        @ParentCommand var zk: ZooStack.ZK

        @Argument(help: "The znode's path.")
        var path: String

        func validate() throws {
            try Self.validatePath(self.path)
        }

        func execute(on client: ZooKeeperClient) async throws {
            guard let stat = try await client.exists(self.path) else {
                throw KeeperError(.noNode, path: self.path)
            }
            for line in ZKFormat.statLines(stat) { Console.out(line) }
        }
    }
}
