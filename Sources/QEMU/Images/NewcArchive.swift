/// A cpio archive in the "new ASCII" (`newc`, magic `070701`) format, the one the Linux kernel unpacks as an
/// initramfs (Documentation/driver-api/early-userspace/buffer-format.rst).
///
/// Every entry is a 110-byte ASCII header of thirteen 8-digit hex fields, the NUL-terminated name padded to a
/// multiple of four bytes, then the data padded likewise; the archive ends with the entry `TRAILER!!!`. Owners are
/// root and times are zero, so the same inputs give the same bytes.
public struct NewcArchive: Sendable {
    /// The archive's bytes so far (without the trailer).
    private var bytes: [UInt8] = []
    /// The next inode number.
    private var nextInode: UInt32 = 1

    /// An empty archive.
    public init() {}

    /// Adds a directory (`mode` is its permission bits).
    public mutating func addDirectory(_ path: String, permissions: UInt32 = 0o755) {
        self.append(path: path, mode: 0o040000 | permissions, data: [])
    }

    /// Adds a regular file.
    public mutating func addFile(_ path: String, contents: [UInt8], permissions: UInt32 = 0o644) {
        self.append(path: path, mode: 0o100000 | permissions, data: contents)
    }

    /// Adds a symbolic link to `target`.
    public mutating func addSymlink(_ path: String, target: String) {
        self.append(path: path, mode: 0o120000 | 0o777, data: Array(target.utf8))
    }

    /// Adds a character device node.
    public mutating func addCharacterDevice(_ path: String, major: UInt32, minor: UInt32, permissions: UInt32 = 0o600) {
        self.append(path: path, mode: 0o020000 | permissions, data: [], rdev: (major, minor))
    }

    /// The complete archive, trailer included.
    public func encoded() -> [UInt8] {
        var copy = self
        copy.append(path: "TRAILER!!!", mode: 0, data: [], inode: 0, links: 1)
        return copy.bytes
    }

    private mutating func append(
        path: String,
        mode: UInt32,
        data: [UInt8],
        rdev: (UInt32, UInt32) = (0, 0),
        inode: UInt32? = nil,
        links: UInt32? = nil
    ) {
        let name = Array(path.utf8) + [0]
        let isDirectory = mode & 0o170000 == 0o040000
        let fields: [UInt32] = [
            inode ?? self.nextInode, mode, 0, 0, links ?? (isDirectory ? 2 : 1), 0, UInt32(data.count),
            0, 0, rdev.0, rdev.1, UInt32(name.count), 0,
        ]
        if inode == nil { self.nextInode += 1 }
        self.bytes += Array("070701".utf8)
        for field in fields { self.bytes += Self.hex8(field) }
        self.bytes += name
        self.pad()
        self.bytes += data
        self.pad()
    }

    private mutating func pad() {
        while self.bytes.count % 4 != 0 { self.bytes.append(0) }
    }

    private static func hex8(_ value: UInt32) -> [UInt8] {
        let digits = Array(String(value, radix: 16, uppercase: true).utf8)
        return [UInt8](repeating: UInt8(ascii: "0"), count: 8 - digits.count) + digits
    }
}
