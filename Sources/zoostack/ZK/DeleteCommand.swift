import ArgumentParser
import ZooKeeperClient
import ZooKeeperProtocol

extension ZooStack.ZK {
    /// `delete [-v version] path`: deletes a childless znode.
    struct DeleteCommand: ZKCommand {
        static let configuration = CommandConfiguration(
            commandName: "delete",
            abstract: "Delete a znode that has no children."
        )

        @ParentCommand var zk: ZooStack.ZK

        @Option(name: .customShort("v"), help: "The expected data version (default: any).")
        var version: Int32 = -1

        @Argument(help: "The znode's path.")
        var path: String

        func validate() throws {
            try Self.validatePath(self.path)
        }

        func execute(on client: ZooKeeperClient) async throws {
            try await client.delete(self.path, version: self.version)
        }
    }

    /// `deleteall path`: deletes a znode and all its descendants, deepest first (`ZKUtil.deleteRecursive`).
    struct DeleteAllCommand: ZKCommand {
        static let configuration = CommandConfiguration(
            commandName: "deleteall",
            abstract: "Delete a znode and all its descendants."
        )

        @ParentCommand var zk: ZooStack.ZK

        @Argument(help: "The znode's path.")
        var path: String

        func validate() throws {
            try Self.validatePath(self.path)
        }

        func execute(on client: ZooKeeperClient) async throws {
            let paths = try await LsCommand.subtree(of: self.path, client: client)
            // Siblings deleted concurrently: the client pipelines them, answers come in order.
            try await withThrowingTaskGroup(of: Void.self) { group in
                var depth = paths.last.map(Self.depth) ?? 0
                for path in paths.reversed() {
                    if Self.depth(path) != depth {
                        try await group.waitForAll()
                        depth = Self.depth(path)
                    }
                    group.addTask { try await Self.deleteIfPresent(path, client: client) }
                }
                try await group.waitForAll()
            }
        }

        private static func depth(_ path: String) -> Int {
            path == "/" ? 0 : path.utf8.count { $0 == UInt8(ascii: "/") }
        }

        private static func deleteIfPresent(_ path: String, client: ZooKeeperClient) async throws {
            do {
                try await client.delete(path)
            } catch let error as KeeperError where error.code == .noNode {
                return
            }
        }
    }
}
