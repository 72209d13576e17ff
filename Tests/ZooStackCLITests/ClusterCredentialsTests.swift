import Foundation
import Testing

/// `zoostack serve` generates the cluster credentials and puts ZooStack's nodes behind them: an anonymous
/// `zoostack zk` is refused (NoAuth), the same client with `--cluster-credentials` reads them.
@Suite("zoostack serve's cluster credentials")
struct ClusterCredentialsTests {
    @Test(.timeLimit(.minutes(3)))
    func anonymousZooKeeperClientsAreRefused() async throws {
        let cloud = try await ServedCloud.start()
        defer { cloud.stop() }
        let path = "\(cloud.dataDir)/cluster-credentials"
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        let prefix = "ZooKeeper-compatible coordination server ready on "
        let line = try #require(cloud.log.split(separator: "\n").first { $0.hasPrefix(prefix) }, "\(cloud.log)")
        let server = String(line.dropFirst(prefix.count))

        for arguments in [
            ["get", "/zoostack/epoch"], ["ls", "/zoostack/config"], ["set", "/zoostack/epoch", "0"],
            ["create", "/zoostack/config/max.account.user.vms", "0"], ["delete", "/zoostack/epoch"],
        ] {
            let refused = try await ZooStackExecutable.run(["zk", "--server", server] + arguments)
            #expect(refused.status == 1, "\(arguments): \(refused.stdout)")
            #expect(refused.stderr.contains("Insufficient permission"), "\(arguments): \(refused.stderr)")
        }
        let allowed = try await ZooStackExecutable.run([
            "zk", "--server", server, "--cluster-credentials", path, "ls", "/zoostack",
        ])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(allowed.stdout.contains("config"), "\(allowed.stdout)")
        // The same as zkCli.sh's addauth with the file's text.
        let text = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let digest = try await ZooStackExecutable.run([
            "zk", "--server", server, "--auth", "digest:\(text)", "get", "/zoostack/epoch",
        ])
        #expect(digest.status == 0, "\(digest.stderr)")
        // The cloud still works with its nodes protected.
        let zones = try await cloud.call(["listZones"])
        #expect(zones.status == 0, "\(zones.stderr)")
    }

    @Test func aMissingCredentialsFileIsAUsageError() async throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-\(UUID())").path
        let dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("zoostack-nocreds-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        for arguments in [
            ["agent", "--simulator", "--zookeeper", "127.0.0.1:1", "--cpu", "1", "--memory", "1"],
            ["serve", "--data-dir", dataDir, "--zookeeper", "127.0.0.1:1"],
        ] {
            let result = try await ZooStackExecutable.run(arguments + ["--cluster-credentials", missing])
            #expect(result.status == 64, "\(arguments): \(result.stdout)\(result.stderr)")
            #expect(result.stderr.contains("--cluster-credentials: cannot read"), "\(result.stderr)")
        }
    }
}
