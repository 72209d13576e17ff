import Foundation

/// Owner-only files: the data directory holds the database, the embedded ZooKeeper server's log and snapshots,
/// the server id, the admin's credentials and the encryption key, none of which another local user may read.
enum PrivateFiles {
    /// Makes every file and directory this process creates from now on owner-only (umask 077: files 0600,
    /// directories 0700), SQLite's database and its -wal/-shm files included.
    static func restrictCreationMode() {
        umask(0o077)
    }

    /// Creates `path` (mode 0700) if it is missing, and makes it and everything under it owner-only: directories
    /// 0700, files 0600 (a data directory from an older ZooStack, or one made by hand). Symbolic links are left
    /// alone.
    /// - Parameter path: the directory.
    /// - Returns: the paths whose mode could not be changed (not this user's).
    /// - Throws: when the directory cannot be created.
    @discardableResult
    static func secure(directory path: String) throws -> [String] {
        try FileManager.default.createDirectory(
            atPath: path,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700]
        )
        var failed: [String] = []
        if chmod(path, 0o700) != 0 { failed.append(path) }
        let entries = FileManager.default.enumerator(atPath: path)
        while let relative = entries?.nextObject() as? String {
            let full = "\(path)/\(relative)"
            // attributesOfItem does not follow a symbolic link: links (and what they point at) are left alone.
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: full) else { continue }
            let mode: Int
            switch attributes[.type] as? FileAttributeType {
            case .typeDirectory?: mode = 0o700
            case .typeRegular?: mode = 0o600
            default: continue
            }
            if (attributes[.posixPermissions] as? Int).map({ $0 & 0o777 }) != mode, chmod(full, mode_t(mode)) != 0 {
                failed.append(full)
            }
        }
        return failed
    }
}
