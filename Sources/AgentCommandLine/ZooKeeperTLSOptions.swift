import ArgumentParser
import ZooKeeperClient

/// TLS to an Apache ZooKeeper ensemble's `secureClientPort`, shared by `serve`, `agent` and `zk`: the CA the
/// servers' certificates must chain to, and optionally this client's certificate and key (`ssl.clientAuth`).
package struct ZooKeeperTLSOptions: ParsableArguments {
    @Option(
        name: .customLong("zookeeper-tls-ca"),
        help: ArgumentHelp(
            "Speak TLS to ZooKeeper (its secureClientPort), trusting the CA certificates in this PEM file.",
            valueName: "pem"
        )
    )
    package var ca: String?

    @Option(
        name: .customLong("zookeeper-tls-cert"),
        help: ArgumentHelp("This client's certificate (PEM), for an ensemble that asks for one.", valueName: "pem")
    )
    var certificate: String?

    @Option(
        name: .customLong("zookeeper-tls-key"),
        help: ArgumentHelp("The key (PEM) of --zookeeper-tls-cert.", valueName: "pem")
    )
    var key: String?

    /// No files (ArgumentParser fills them from the command line).
    package init() {}

    package func validate() throws {
        guard self.ca != nil || (self.certificate == nil && self.key == nil) else {
            throw ValidationError("--zookeeper-tls-cert and --zookeeper-tls-key need --zookeeper-tls-ca.")
        }
        guard (self.certificate == nil) == (self.key == nil) else {
            throw ValidationError("--zookeeper-tls-cert and --zookeeper-tls-key go together.")
        }
    }

    /// The client's TLS configuration, nil without `--zookeeper-tls-ca`.
    /// - Returns: the configuration.
    /// - Throws: `ValidationError` when a file cannot be read or used.
    package func configuration() throws -> ZooKeeperClientTLS? {
        guard let ca = self.ca else { return nil }
        do {
            return try ZooKeeperClientTLS(caFile: ca, certificateFile: self.certificate, privateKeyFile: self.key)
        } catch {
            throw ValidationError("--zookeeper-tls-ca: \(error.reason)")
        }
    }
}
