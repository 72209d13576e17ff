import ArgumentParser

/// The `zoostack` command: one executable for every part of ZooStack.
///
/// Each subcommand is a nested type in its own folder (`ZK/`, `Serve/`, ...); adding one means adding its type
/// to `subcommands` below. The benchmarks are a separate executable, `zoostack-bench`, so that this one links no
/// test support.
@main
struct ZooStack: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zoostack",
        abstract: "ZooStack: a cloud platform with its own ZooKeeper protocol stack.",
        subcommands: [
            ZK.self,
            ZooKeeperCommand.self,
            Serve.self,
            Call.self,
            AgentRun.self,
            Image.self,
        ]
    )
}
