import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ClusterCredentials {
    /// Reads credentials from their file (one line, `user:password`). Like ssh with a private key, a file other
    /// users may read or write is refused.
    /// - Parameter path: the file.
    /// - Returns: the credentials.
    /// - Throws: `CoordinationError` `.invalidCredentials` when the file is missing, unreadable, open to group or
    ///   others, or malformed.
    public static func read(path: String) throws(CoordinationError) -> ClusterCredentials {
        let attributes: [FileAttributeKey: Any]
        let data: Data
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CoordinationError(.invalidCredentials, "cannot read the cluster credentials file \(path)")
        }
        if let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue, mode & 0o077 != 0 {
            throw CoordinationError(
                .invalidCredentials,
                "the cluster credentials file \(path) is accessible by other users (mode \(String(mode, radix: 8))); "
                    + "chmod 600 it"
            )
        }
        do {
            return try ClusterCredentials(parsing: String(decoding: data, as: UTF8.self))
        } catch {
            throw CoordinationError(.invalidCredentials, "\(path): \(error.reason)")
        }
    }

    /// Reads the credentials at `path`, or generates and writes new ones when there is no file (the first start of
    /// a cluster's first server). Two processes doing this at once end up with the same credentials.
    /// - Parameter path: the file.
    /// - Returns: the credentials, and whether they were generated now.
    /// - Throws: `CoordinationError` `.invalidCredentials` as ``read(path:)``, or when the file cannot be written.
    public static func readOrCreate(
        path: String
    ) throws(CoordinationError) -> (
        credentials: ClusterCredentials, created: Bool
    ) {
        if FileManager.default.fileExists(atPath: path) { return (try self.read(path: path), false) }
        let generated = self.generate()
        if try generated.writeNew(path: path) { return (generated, true) }
        return (try self.read(path: path), false)
    }

    /// Writes the credentials to a new file, mode 0600 from the start.
    /// - Parameter path: the file; it must not exist.
    /// - Throws: `CoordinationError` `.invalidCredentials` when the file exists or cannot be written.
    public func write(to path: String) throws(CoordinationError) {
        guard try self.writeNew(path: path) else {
            throw CoordinationError(.invalidCredentials, "the cluster credentials file \(path) exists already")
        }
    }

    /// Writes a private temporary file and links it into place, so readers never see a partial file and an
    /// existing file is never replaced.
    /// - Returns: false when `path` exists already.
    private func writeNew(path: String) throws(CoordinationError) -> Bool {
        let temporary = "\(path).\(UInt64.random(in: 0..<UInt64.max)).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw CoordinationError(.invalidCredentials, "cannot write the cluster credentials file \(path)")
        }
        defer { unlink(temporary) }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            try handle.write(contentsOf: Data((self.text + "\n").utf8))
            try handle.synchronize()
            try handle.close()
        } catch {
            throw CoordinationError(.invalidCredentials, "cannot write the cluster credentials file \(path)")
        }
        guard link(temporary, path) == 0 else {
            if errno == EEXIST { return false }
            throw CoordinationError(.invalidCredentials, "cannot write the cluster credentials file \(path)")
        }
        return true
    }
}
