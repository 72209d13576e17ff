import Logging
import ZooKeeperClient
import ZooKeeperProtocol

extension Coordinator {
    /// Gives every node under ZooStack's root that is still open (an ACL entry of the `world` scheme, as every node
    /// of a deployment from before cluster credentials had) the cluster's ACL, so anonymous clients lose access
    /// to it. A no-op without credentials, and for nodes that have it already.
    /// - Throws: `KeeperError` (`.noAuth` when ZooKeeper refuses this server's credentials).
    func secureOpenNodes() async throws {
        guard let credentials = self.configuration.credentials else { return }
        let client = self.client
        var level = [self.layout.root]
        var secured = 0
        // Level by level, each level's nodes in pipelined batches: a start costs a few round trips, not two per
        // node, even with thousands of hosts.
        while !level.isEmpty {
            var next: [String] = []
            for start in stride(from: 0, to: level.count, by: Self.secureBatch) {
                let batch = level[start..<min(start + Self.secureBatch, level.count)]
                try await withThrowingTaskGroup(of: (secured: Bool, children: [String]).self) { group in
                    for path in batch {
                        group.addTask { try await Self.secure(path, client: client, acl: credentials.acl) }
                    }
                    for try await result in group {
                        if result.secured { secured += 1 }
                        next += result.children
                    }
                }
            }
            level = next
        }
        if secured > 0 {
            self.logger.notice(
                "gave \(secured) open ZooKeeper nodes under \(self.layout.root) the cluster credentials' ACL"
            )
        }
    }

    /// How many nodes ``secureOpenNodes()`` asks about at once.
    static let secureBatch = 128

    /// Gives one node `acl` when it is open; returns whether it was, and its children's paths.
    private static func secure(
        _ path: String,
        client: ZooKeeperClient,
        acl: [ACL]
    ) async throws -> (secured: Bool, children: [String]) {
        do {
            let (current, stat) = try await client.getACL(path)
            var secured = false
            if current.contains(where: { $0.id.scheme == "world" }) {
                _ = try await client.setACL(path, acl: acl)
                secured = true
            }
            guard stat.numChildren > 0 else { return (secured, []) }
            let prefix = path == "/" ? "/" : path + "/"
            let children = try await client.getChildren(path).map { prefix + $0 }.filter { $0 != "/zookeeper" }
            return (secured, children)
        } catch let error as KeeperError where error.code == .noNode {
            return (false, [])  // an ephemeral node that went meanwhile
        }
    }

    /// `error`, or for ZooKeeper's `NoAuth` an error that says what to do about it.
    /// - Parameter error: an error of joining the cluster.
    /// - Returns: `CoordinationError` `.accessDenied` for `NoAuth`; `error` otherwise.
    nonisolated func explainingNoAuth(_ error: any Error) -> any Error {
        guard let keeperError = error as? KeeperError, keeperError.code == .noAuth else { return error }
        let given = self.configuration.credentials.map { "the cluster credentials of user \($0.user)" }
        return CoordinationError(
            .accessDenied,
            "ZooKeeper refused \(given ?? "an anonymous session") access to \(keeperError.path ?? self.layout.root) "
                + "(NoAuth): every management server and agent of a cluster must be given the same cluster credentials"
        )
    }
}
