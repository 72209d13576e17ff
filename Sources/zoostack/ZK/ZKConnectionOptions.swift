import AgentCommandLine
import ArgumentParser
import Coordination
import ZooKeeperClient

/// How `zoostack zk` reaches ZooKeeper: the connect string, the session timeout and credentials.
struct ZKConnectionOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The servers and optional chroot, as in a ZooKeeper connect string.",
            valueName: "host:port[,host:port][/chroot]"
        )
    )
    var server: String = "127.0.0.1:2181"

    @Option(
        name: .customLong("timeout-ms"),
        help: ArgumentHelp(
            "The session timeout to ask for, and how long to wait for a session, in milliseconds.",
            valueName: "ms"
        )
    )
    var timeoutMs: Int = 10_000

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Credentials to add to the session, as zkCli.sh's addauth (e.g. digest:user:password). Repeatable.",
            valueName: "scheme:credentials"
        )
    )
    var auth: [String] = []

    @Option(
        name: .customLong("cluster-credentials"),
        help: ArgumentHelp(
            "Authenticate as a ZooStack cluster: its credentials file (as --auth digest:USER:PASSWORD from it).",
            valueName: "file"
        )
    )
    var clusterCredentials: String?

    @OptionGroup var tls: ZooKeeperTLSOptions

    func validate() throws {
        do {
            _ = try ZooKeeperClientConfiguration(connectString: self.server)
        } catch let error as ZooKeeperClientConfiguration.InvalidConnectString {
            throw ValidationError("Invalid --server: \(error.reason).")
        }
        guard self.timeoutMs > 0 else { throw ValidationError("--timeout-ms must be positive.") }
        for credential in self.auth {
            guard let colon = credential.firstIndex(of: ":"), colon != credential.startIndex else {
                throw ValidationError("--auth must have the form scheme:credentials, got '\(credential)'.")
            }
        }
    }

    /// The client configuration these options describe.
    /// - Throws: `InvalidConnectString` (already ruled out by `validate()`); `ValidationError` for unusable TLS
    ///   files.
    func configuration() throws -> ZooKeeperClientConfiguration {
        var configuration = try ZooKeeperClientConfiguration(
            connectString: self.server,
            sessionTimeout: .milliseconds(self.timeoutMs)
        )
        configuration.tls = try self.tls.configuration()
        return configuration
    }

    /// The `--auth` values split into scheme and credentials, then the `--cluster-credentials` digest.
    /// - Throws: `CoordinationError` `.invalidCredentials` when the cluster credentials file cannot be used.
    func credentials() throws -> [(scheme: String, auth: [UInt8])] {
        var credentials = self.auth.map { credential -> (scheme: String, auth: [UInt8]) in
            let parts = credential.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            return (String(parts[0]), parts.count > 1 ? Array(parts[1].utf8) : [])
        }
        if let path = self.clusterCredentials {
            credentials.append(try ClusterCredentials.read(path: path).authInfo)
        }
        return credentials
    }
}
