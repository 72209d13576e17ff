import ArgumentParser
import ZooKeeperClient
import ZooKeeperProtocol

extension ZooStack.ZK {
    /// `watch [--recursive] [--count n] path`: adds a persistent watch (addWatch) and prints each event as
    /// zkCli.sh's default watcher does, flushing after each line.
    struct WatchCommand: ZKCommand {
        static let configuration = CommandConfiguration(
            commandName: "watch",
            abstract: "Print a znode's changes as they happen (a persistent watch).",
            discussion: """
                Prints one line per event, e.g. "WatchedEvent state:SyncConnected type:NodeDataChanged path:/x". \
                Runs until --count events were printed, or until interrupted.
                """
        )

        @ParentCommand var zk: ZooStack.ZK

        @Flag(help: "Watch the znode and all its descendants (PERSISTENT_RECURSIVE) instead of the znode alone.")
        var recursive = false

        @Option(help: "Exit after this many events.")
        var count: Int?

        @Argument(help: "The znode's path (it need not exist).")
        var path: String

        func validate() throws {
            try Self.validatePath(self.path)
            if let count = self.count, count <= 0 { throw ValidationError("--count must be positive") }
        }

        func execute(on client: ZooKeeperClient) async throws {
            let events = try await client.addWatch(
                self.path,
                mode: self.recursive ? .persistentRecursive : .persistent
            )
            var seen = 0
            for try await event in events {
                Console.out("WatchedEvent state:\(KeeperState.syncConnected) type:\(event.type) path:\(event.path)")
                Console.flush()
                seen += 1
                if let count = self.count, seen >= count { return }
            }
            // The stream ends only when the watch or the client goes away.
            throw KeeperError(.connectionLoss, path: self.path)
        }
    }
}
