#if canImport(Glibc)
import Glibc

private let systemRead = Glibc.read
private let systemWrite = Glibc.write
private let systemClose = Glibc.close
private let systemTruncate = Glibc.truncate
#elseif canImport(Darwin)
import Darwin

private let systemRead = Darwin.read
private let systemWrite = Darwin.write
private let systemClose = Darwin.close
private let systemTruncate = Darwin.truncate
#endif

/// The few POSIX file operations the txn log and snapshots need, with errors as `ZooKeeperServerError`.
enum PosixFile {
    private static func failure(_ what: String, _ path: String) -> ZooKeeperServerError {
        ZooKeeperServerError(.dataDirectory, "\(what) \(path): errno \(errno)")
    }

    /// Creates a directory and its parents.
    static func makeDirectories(_ path: String) throws(ZooKeeperServerError) {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o755) != 0 && errno != EEXIST { throw self.failure("cannot create", current) }
        }
    }

    /// The names in a directory.
    static func list(_ path: String) throws(ZooKeeperServerError) -> [String] {
        guard let dir = opendir(path) else { throw self.failure("cannot list", path) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// The whole content of a file.
    static func read(_ path: String) throws(ZooKeeperServerError) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw self.failure("cannot open", path) }
        defer { close(fd) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw self.failure("cannot read", path) }
            if n == 0 { break }
            result.append(contentsOf: chunk[0..<n])
        }
        return result
    }

    /// Creates (or empties) a file for positioned writes, as the txn log is written.
    static func openForWriting(_ path: String) throws(ZooKeeperServerError) -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw self.failure("cannot open", path) }
        return fd
    }

    /// Writes all of `bytes` at `offset` (pwrite).
    static func write(_ fd: Int32, _ bytes: [UInt8], at offset: Int, path: String) throws(ZooKeeperServerError) {
        let failed: Bool = bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = pwrite(fd, raw.baseAddress! + done, raw.count - done, off_t(offset + done))
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return true }
                done += n
            }
            return false
        }
        if failed { throw self.failure("cannot write", path) }
    }

    /// Cuts an open file to `length` bytes.
    static func truncate(_ fd: Int32, to length: Int, path: String) throws(ZooKeeperServerError) {
        guard ftruncate(fd, off_t(length)) == 0 else { throw self.failure("cannot truncate", path) }
    }

    /// Writes all of `bytes`.
    static func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(ZooKeeperServerError) {
        var offset = 0
        while offset < bytes.count {
            let n = systemWrite(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw self.failure("cannot write", path) }
            offset += n
        }
    }

    /// Writes all of `bytes`.
    static func write(_ fd: Int32, _ bytes: [UInt8], path: String) throws(ZooKeeperServerError) {
        let result: Result<Void, ZooKeeperServerError> = bytes.withUnsafeBytes { raw in
            do throws(ZooKeeperServerError) {
                try self.write(fd, raw, path: path)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
    }

    /// Flushes a file's data to the disk (`FileChannel.force(false)`).
    static func sync(_ fd: Int32, path: String) throws(ZooKeeperServerError) {
        #if canImport(Darwin)
        // fsync on Darwin does not reach the platter; F_FULLFSYNC does.
        guard fcntl(fd, F_FULLFSYNC) == 0 || fsync(fd) == 0 else { throw self.failure("cannot fsync", path) }
        #else
        guard fdatasync(fd) == 0 else { throw self.failure("cannot fsync", path) }
        #endif
    }

    /// Writes a whole file atomically: a temporary file, fsync, rename, fsync of the directory.
    static func writeAtomically(_ bytes: [UInt8], to path: String, directory: String) throws(ZooKeeperServerError) {
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw self.failure("cannot create", temporary) }
        do throws(ZooKeeperServerError) {
            try self.write(fd, bytes, path: temporary)
            try self.sync(fd, path: temporary)
        } catch {
            close(fd)
            throw error
        }
        close(fd)
        guard rename(temporary, path) == 0 else { throw self.failure("cannot rename", temporary) }
        self.syncDirectory(directory)
    }

    /// Makes a directory's entries (new and renamed files) durable.
    static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    /// Cuts a file to `length` bytes.
    static func truncate(_ path: String, to length: Int) throws(ZooKeeperServerError) {
        guard systemTruncate(path, off_t(length)) == 0 else { throw self.failure("cannot truncate", path) }
    }

    /// Takes an exclusive lock on a lock file, creating it; the lock holds until the descriptor closes.
    /// - Returns: the descriptor.
    /// - Throws: when another process holds the lock.
    static func lockExclusively(_ path: String) throws(ZooKeeperServerError) -> Int32 {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw self.failure("cannot open", path) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            self.close(fd)
            throw ZooKeeperServerError(.dataDirectory, "\(path) is locked: another server uses this data directory")
        }
        return fd
    }

    /// Closes a file descriptor.
    static func close(_ fd: Int32) {
        _ = systemClose(fd)
    }

    /// Removes a file, ignoring a missing one.
    static func remove(_ path: String) {
        _ = unlink(path)
    }
}
