#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

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
        // lstat, as FileManager's attributesOfItem: a symbolic link's own mode is checked.
        var info = stat()
        guard lstat(path, &info) == 0, let data = try? Data(contentsOf: URL(fileURLWithPath: path)) else {
            throw CoordinationError(.invalidCredentials, "cannot read the cluster credentials file \(path)")
        }
        let mode = Int(info.st_mode & 0o7777)
        if mode & 0o077 != 0 {
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
        let written = Self.writeAll(Array((self.text + "\n").utf8), to: descriptor)
        let synced = fsync(descriptor) == 0
        guard close(descriptor) == 0, written, synced else {
            throw CoordinationError(.invalidCredentials, "cannot write the cluster credentials file \(path)")
        }
        guard link(temporary, path) == 0 else {
            if errno == EEXIST { return false }
            throw CoordinationError(.invalidCredentials, "cannot write the cluster credentials file \(path)")
        }
        return true
    }

    /// Writes every byte to `descriptor`, retrying short and interrupted writes; false on an error.
    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { systemWrite(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return false }
            offset += count
        }
        return true
    }
}

#if canImport(Glibc)
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
private let systemWrite = Darwin.write
#endif
