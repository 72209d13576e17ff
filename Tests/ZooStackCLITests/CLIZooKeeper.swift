import ZooKeeperTestSupport

/// The Apache ZooKeeper 3.8 the `zoostack zk` suites run against: one for the test process (each test works under
/// a root znode of its own), with ZooKeeper's default tick and TTL nodes allowed.
enum CLIZooKeeper {
    static let target = ZooKeeperTarget.apache(
        ZooKeeperTargetSettings(tickTime: .seconds(2), extendedTypesEnabled: true)
    )

    /// The server's connect string (`127.0.0.1:<port>`), started on first use.
    static func connectString() async throws -> String {
        try await self.target.connectString()
    }
}
