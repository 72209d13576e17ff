import Foundation
import Synchronization

/// Temporary files and directories that the test process removes when it exits, for the ones a test cannot remove
/// itself: data directories of servers shared by a whole test process, or kept for a restart.
///
/// ```swift
/// let dataDir = TemporaryPaths.make("zoostack-embedded")   // "/tmp/zoostack-embedded-1234…", removed at exit
/// ```
public enum TemporaryPaths {
    private static let paths = Mutex<[String]>([])
    private static let registration: Void = {
        atexit { TemporaryPaths.removeAll() }
    }()

    /// A fresh path `TMPDIR/PREFIX-RANDOM` (nothing is created), removed with everything under it at exit.
    /// - Parameter prefix: the name's start, e.g. `zoostack-embedded`.
    /// - Returns: the path.
    public static func make(_ prefix: String) -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UInt64.random(in: 0..<UInt64.max))").path
        Self.removeAtExit(path)
        return path
    }

    /// Removes `path` (a file or a directory tree) when the process exits.
    /// - Parameter path: the path.
    public static func removeAtExit(_ path: String) {
        _ = Self.registration
        Self.paths.withLock { $0.append(path) }
    }

    private static func removeAll() {
        for path in Self.paths.withLock({ $0 }) { try? FileManager.default.removeItem(atPath: path) }
    }
}
