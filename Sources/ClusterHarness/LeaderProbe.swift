import ZooKeeperClient
import ZooKeeperProtocol

/// Reads the cluster's leadership straight from ZooKeeper, as an operator with `zkCli.sh` would: the participant
/// whose `/zoostack/leader` node has the lowest sequence number, and the version of `/zoostack/epoch`, which every
/// new leader bumps.
public struct LeaderProbe: Sendable {
    let client: ZooKeeperClient
    let root: String

    /// Connects.
    /// - Parameters:
    ///   - connectString: the ZooKeeper.
    ///   - root: the ZooStack root (default `/zoostack`).
    /// - Returns: the probe (``close()`` it).
    /// - Throws: `KeeperError` when ZooKeeper cannot be reached.
    public static func connect(_ connectString: String, root: String = "/zoostack") async throws -> LeaderProbe {
        LeaderProbe(client: try await ZooKeeperClient.connect(connectString: connectString), root: root)
    }

    /// The leader's id and the epoch now.
    /// - Returns: the leader (nil while there is none) and the epoch.
    /// - Throws: `KeeperError`.
    public func leadership() async throws -> (leader: String?, epoch: Int32) {
        let epoch = try await self.client.getData("\(self.root)/epoch").stat.version
        let children = try await self.client.getChildren("\(self.root)/leader")
        let ordered = children.sorted { $0.suffix(10) < $1.suffix(10) }
        for child in ordered {
            if let data = try? await self.client.getData("\(self.root)/leader/\(child)").data {
                return (String(decoding: data, as: UTF8.self), epoch)
            }
        }
        return (nil, epoch)
    }

    /// Ends the probe's session.
    public func close() async { await self.client.close() }
}
