/// ZooKeeper's path rules (`org.apache.zookeeper.common.PathUtils.validatePath`).
public enum PathValidation {
    /// Why a path is refused, in `PathUtils`' words.
    public struct Failure: Error, Hashable, Sendable, CustomStringConvertible {
        /// The refused path.
        public var path: String
        /// The reason.
        public var reason: String
        public var description: String { "Invalid path string \"\(path)\" caused by \(reason)" }
    }

    /// Checks a path as `PathUtils.validatePath(path, isSequential)` does: a sequential path is checked with a
    /// digit appended, so that `/a/` may be a sequential prefix.
    /// - Parameters:
    ///   - path: the path.
    ///   - isSequential: whether the server will append a sequence number.
    /// - Throws: `Failure` naming the rule broken.
    public static func validate(_ path: String, isSequential: Bool = false) throws(Failure) {
        try self.validate(isSequential ? path + "1" : path, reported: path)
    }

    /// Whether `path` is a valid (non-sequential) path.
    /// - Parameter path: the path.
    /// - Returns: true when valid.
    public static func isValid(_ path: String) -> Bool {
        do {
            try self.validate(path)
            return true
        } catch {
            return false
        }
    }

    private static func validate(_ path: String, reported: String) throws(Failure) {
        // ASCII paths (nearly all) are checked in place on their UTF-8 bytes, which equal their UTF-16 units.
        var failure: Failure?
        let checkedInPlace = path.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            guard !bytes.contains(where: { $0 >= 0x80 }) else { return false }
            do throws(Failure) {
                try self.check(bytes, reported: reported)
            } catch {
                failure = error
            }
            return true
        }
        if let failure { throw failure }
        if checkedInPlace == true { return }
        try self.check(Array(path.utf16), reported: reported)
    }

    private static func check<Units: RandomAccessCollection>(_ chars: Units, reported: String) throws(Failure)
    where Units.Element: FixedWidthInteger, Units.Index == Int {
        func fail(_ reason: String) -> Failure { Failure(path: reported, reason: reason) }
        if chars.isEmpty { throw fail("Path length must be > 0") }
        if chars[chars.startIndex] != 0x2F { throw fail("Path must start with / character") }
        if chars.count == 1 { return }
        if chars[chars.count - 1] == 0x2F { throw fail("Path must not end with / character") }
        var lastc: UInt16 = 0x2F
        for i in 1..<chars.count {
            let c = UInt16(chars[i])
            if c == 0 {
                throw fail("null character not allowed @\(i)")
            } else if c == 0x2F && lastc == 0x2F {
                throw fail("empty node name specified @\(i)")
            } else if c == 0x2E && lastc == 0x2E {
                if chars[i - 2] == 0x2F && (i + 1 == chars.count || chars[i + 1] == 0x2F) {
                    throw fail("relative paths not allowed @\(i)")
                }
            } else if c == 0x2E {
                if chars[i - 1] == 0x2F && (i + 1 == chars.count || chars[i + 1] == 0x2F) {
                    throw fail("relative paths not allowed @\(i)")
                }
            } else if (c > 0x0000 && c <= 0x001F) || (c >= 0x007F && c <= 0x009F) || (c >= 0xD800 && c <= 0xF8FF)
                || (c >= 0xFFF0)
            {
                throw fail("invalid character @\(i)")
            }
            lastc = c
        }
    }

    /// The parent of a valid path (`/` for top-level nodes and for `/` itself).
    /// - Parameter path: a valid path.
    /// - Returns: the parent path.
    public static func parent(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")), slash != path.utf8.startIndex else {
            return "/"
        }
        return String(path[..<slash])
    }

    /// The last component of a valid path (empty for `/`).
    /// - Parameter path: a valid path.
    /// - Returns: the node's name.
    public static func name(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return path }
        return String(path[path.utf8.index(after: slash)...])
    }

    /// Joins a parent path and a child name.
    /// - Parameters:
    ///   - parent: a valid path.
    ///   - child: a name.
    /// - Returns: the child's path.
    public static func join(_ parent: String, _ child: String) -> String {
        parent == "/" ? "/" + child : parent + "/" + child
    }
}
