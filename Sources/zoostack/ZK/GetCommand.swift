import ArgumentParser
import ZooKeeperClient

extension ZooStack.ZK {
    /// `get [-s] path`: a znode's data as UTF-8 text, then its Stat with `-s`.
    struct GetCommand: ZKCommand {
        static let configuration = CommandConfiguration(
            commandName: "get",
            abstract: "Print a znode's data."
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
            let (data, stat) = try await client.getData(self.path)
            Console.out(String(decoding: data, as: UTF8.self))
            if self.stat {
                for line in ZKFormat.statLines(stat) { Console.out(line) }
            }
        }
    }
}
