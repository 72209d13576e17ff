import Foundation

/// The cluster credentials file a test cluster's processes share (`zoostack serve` and `zoostack agent` take it
/// as `--cluster-credentials`): one line `zoostack:PASSWORD`, mode 0600, written before the first server starts
/// so that every server and agent of the cluster authenticates as the same ZooKeeper identity and agent secret.
public enum ClusterCredentialsFile {
    /// The file's path in a cluster's scratch directory.
    /// - Parameter directory: the scratch directory.
    /// - Returns: the path.
    public static func path(in directory: URL) -> String {
        directory.appendingPathComponent("cluster-credentials").path
    }

    /// Writes new credentials (a random 256-bit password) to ``path(in:)``.
    /// - Parameter directory: the scratch directory.
    /// - Returns: the file's path.
    /// - Throws: ``HarnessError`` when the file cannot be written.
    @discardableResult
    public static func create(in directory: URL) throws -> String {
        let path = self.path(in: directory)
        var generator = SystemRandomNumberGenerator()
        let password = (0..<32).map { _ in
            let byte = UInt8.random(in: 0...255, using: &generator)
            return (byte < 16 ? "0" : "") + String(byte, radix: 16)
        }
        .joined()
        guard
            FileManager.default.createFile(
                atPath: path,
                contents: Data("zoostack:\(password)\n".utf8),
                attributes: [.posixPermissions: 0o600]
            )
        else { throw HarnessError("cannot write the cluster credentials file \(path)") }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        return path
    }
}
