import ArgumentParser
import ZooKeeperClient

extension ZooStack.ZK {
    /// `set [-s] path data [-v version]`: replaces a znode's data; prints the new Stat with `-s`.
    struct SetCommand: ZKCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Replace a znode's data."
        )

        @ParentCommand var zk: ZooStack.ZK

        @Flag(name: .customShort("s"), help: "Print the znode's new Stat.")
        var stat = false

        @Option(name: .customShort("v"), help: "The expected data version (default: any).")
        var version: Int32 = -1

        @Argument(help: "The znode's path.")
        var path: String

        @Argument(help: "The new data, as UTF-8 text.")
        var data: String

        func validate() throws {
            try Self.validatePath(self.path)
        }

        func execute(on client: ZooKeeperClient) async throws {
            let stat = try await client.setData(self.path, data: Array(self.data.utf8), version: self.version)
            if self.stat {
                for line in ZKFormat.statLines(stat) { Console.out(line) }
            }
        }
    }
}
