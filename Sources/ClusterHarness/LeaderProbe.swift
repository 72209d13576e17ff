import Foundation
import ZooKeeperClient
import ZooKeeperProtocol

/// Reads the cluster's leadership straight from ZooKeeper, as an operator with `zkCli.sh` would: the participant
/// whose `/zoostack/leader` node has the lowest sequence number, and the version of `/zoostack/epoch`, which every
/// new leader bumps.
public struct LeaderProbe: Sendable {
    let client: ZooKeeperClient
    let root: String

    /// Connects, authenticated as the cluster (ZooStack's nodes are readable only so).
    /// - Parameters:
    ///   - connectString: the ZooKeeper.
    ///   - credentialsPath: the cluster credentials file (``ClusterFixture/clusterCredentialsPath``).
    ///   - root: the ZooStack root (default `/zoostack`).
    /// - Returns: the probe (``close()`` it).
    /// - Throws: `KeeperError` when ZooKeeper cannot be reached; ``HarnessError`` when the file cannot be read.
    public static func connect(
        _ connectString: String,
        credentialsPath: String,
        root: String = "/zoostack"
    ) async throws -> LeaderProbe {
        guard let data = FileManager.default.contents(atPath: credentialsPath) else {
            throw HarnessError("cannot read the cluster credentials file \(credentialsPath)")
        }
        let credentials = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        var configuration = try ZooKeeperClientConfiguration(connectString: connectString)
        configuration.authInfo = [("digest", Array(credentials.utf8))]
        return LeaderProbe(client: try await ZooKeeperClient.connect(configuration: configuration), root: root)
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
