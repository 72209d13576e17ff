import Logging
import ZooKeeperClient
import ZooKeeperProtocol

extension Coordinator {
    /// Gives every node under ZooStack's root that is still open (an ACL entry of the `world` scheme, as every node
    /// of a deployment from before cluster credentials had) the cluster's ACL, so anonymous clients lose access
    /// to it. A no-op without credentials, and for nodes that have it already.
    /// - Throws: `CoordinationError` `.accessDenied` when ZooKeeper refuses this server's credentials; `KeeperError`.
    func secureOpenNodes() async throws {
        guard let credentials = self.configuration.credentials else { return }
        try await self.refusingOtherCredentials(self.layout.root) {
            var pending = [self.layout.root]
            var secured = 0
            while let path = pending.popLast() {
                do {
                    let (acl, _) = try await self.client.getACL(path)
                    if acl.contains(where: { $0.id.scheme == "world" }) {
                        try await self.client.setACL(path, acl: credentials.acl)
                        secured += 1
                    }
                    let prefix = path == "/" ? "/" : path + "/"
                    for child in try await self.client.getChildren(path) where prefix + child != "/zookeeper" {
                        pending.append(prefix + child)
                    }
                } catch let error as KeeperError where error.code == .noNode {
                    continue  // an ephemeral node that went meanwhile
                }
            }
            if secured > 0 {
                self.logger.notice(
                    "gave \(secured) open ZooKeeper nodes under \(self.layout.root) the cluster credentials' ACL"
                )
            }
        }
    }

    /// Runs `body`, turning ZooKeeper's `NoAuth` into an error that says what to do about it.
    /// - Throws: `CoordinationError` `.accessDenied` for `NoAuth`; what `body` throws otherwise.
    func refusingOtherCredentials(_ path: String, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as KeeperError where error.code == .noAuth {
            let given = self.configuration.credentials.map { "the cluster credentials of user \($0.user)" }
            throw CoordinationError(
                .accessDenied,
                "ZooKeeper refused \(given ?? "an anonymous session") access to \(path) (NoAuth): every management "
                    + "server and agent of a cluster must be given the same cluster credentials"
            )
        }
    }
}
