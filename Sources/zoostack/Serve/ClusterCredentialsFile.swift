import ArgumentParser
import Coordination

/// `<data-dir>/cluster-credentials`, mode 0600: the cluster's one credential, `user:password` (ZooStack's digest
/// identity in ZooKeeper and the agent protocol's shared secret), generated on the first start.
enum ClusterCredentialsFile {
    static func path(dataDir: String) -> String {
        "\(dataDir)/cluster-credentials"
    }

    /// The credentials `serve` runs with: those of `--cluster-credentials` (the file must exist: a cluster's
    /// servers share one), else those in the data directory, generated when there are none yet.
    /// - Throws: `ValidationError` for an unusable `--cluster-credentials`; `CoordinationError` `.invalidCredentials`
    ///   when the data directory's file is unusable.
    static func load(option: String?, dataDir: String) throws -> ClusterCredentials {
        if let option {
            do {
                return try ClusterCredentials.read(path: option)
            } catch {
                throw ValidationError("--cluster-credentials: \(error.reason).")
            }
        }
        let path = self.path(dataDir: dataDir)
        let (credentials, created) = try ClusterCredentials.readOrCreate(path: path)
        if created {
            Console.out(
                "Generated the cluster credentials (ZooKeeper digest and agent secret), saved to \(path): give every "
                    + "management server and agent of this cluster this file (--cluster-credentials)"
            )
        }
        return credentials
    }
}
