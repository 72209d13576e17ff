import ArgumentParser
import ZooKeeperClient
import ZooKeeperProtocol

extension ZooStack.ZK {
    /// `ls [-s] [-R] path`: a znode's children, sorted, as `[a, b]`; with `-R` every descendant's path,
    /// breadth first.
    struct LsCommand: ZKCommand {
        static let configuration = CommandConfiguration(
            commandName: "ls",
            abstract: "List a znode's children."
        )

        @ParentCommand var zk: ZooStack.ZK

        @Flag(name: .customShort("s"), help: "Also print the znode's Stat.")
        var stat = false

        @Flag(name: .customShort("R"), help: "Print the paths of all descendants, breadth first.")
        var recursive = false

        @Argument(help: "The znode's path.")
        var path: String

        func validate() throws {
            try Self.validatePath(self.path)
        }

        func execute(on client: ZooKeeperClient) async throws {
            if self.recursive {
                for path in try await Self.subtree(of: self.path, client: client) { Console.out(path) }
                return
            }
            let (children, stat) = try await client.getChildrenWithStat(self.path)
            Console.out(ZKFormat.list(children.sorted()))
            if self.stat {
                for line in ZKFormat.statLines(stat) { Console.out(line) }
            }
        }

        /// The paths of a znode and all its descendants, breadth first, siblings sorted (`ZKUtil.listSubTreeBFS`).
        /// - Parameters:
        ///   - root: the top znode.
        ///   - client: the client.
        /// - Returns: the paths, the root first.
        /// - Throws: `KeeperError` (`.noNode` when the root is missing; a descendant deleted meanwhile is skipped).
        static func subtree(of root: String, client: ZooKeeperClient) async throws -> [String] {
            var paths = [root]
            var next = 0
            while next < paths.count {
                let parent = paths[next]
                next += 1
                let children: [String]
                do {
                    children = try await client.getChildren(parent)
                } catch let error as KeeperError where error.code == .noNode && parent != root {
                    continue
                }
                paths += children.sorted().map { PathValidation.join(parent, $0) }
            }
            return paths
        }
    }
}
