import Foundation
import Hummingbird

/// The web console's static files (HTML, CSS, JavaScript modules), read once into memory.
///
/// Only the files found when the assets are loaded can ever be served: a request names a key of that table, never
/// a path on disk, so no request reaches a file outside the assets directory.
public struct ConsoleAssets: Sendable {
    /// One file, ready to send.
    public struct Asset: Sendable {
        /// The file's bytes.
        public let body: ByteBuffer
        /// Its `Content-Type`.
        public let contentType: String
    }

    /// The files by their path relative to the assets directory (`index.html`, `js/app.js`).
    let files: [String: Asset]

    /// The assets that ship with the module (SwiftPM resources next to the built executable).
    /// - Throws: when the bundled directory cannot be read.
    /// - Returns: the assets.
    public static func bundled() throws -> ConsoleAssets {
        guard let directory = Bundle.module.url(forResource: "Assets", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try ConsoleAssets(directory: directory)
    }

    /// Reads every regular file under `directory` (dot files excepted).
    /// - Parameter directory: the assets directory.
    /// - Throws: when a file cannot be read.
    public init(directory: URL) throws {
        let root = directory.standardizedFileURL.resolvingSymlinksInPath()
        var files: [String: Asset] = [:]
        let keys: [URLResourceKey] = [.isRegularFileKey]
        guard
            let walker = FileManager.default.enumerator(
                at: root,
                includingPropertiesForKeys: keys,
                options: [.skipsHiddenFiles]
            )
        else { throw CocoaError(.fileReadUnknown) }
        let prefix = root.path.hasSuffix("/") ? root.path : root.path + "/"
        for case let url as URL in walker {
            guard try url.resourceValues(forKeys: Set(keys)).isRegularFile == true else { continue }
            let path = url.standardizedFileURL.resolvingSymlinksInPath().path
            guard path.hasPrefix(prefix) else { continue }
            let relative = String(path.dropFirst(prefix.count))
            let data = try Data(contentsOf: url)
            files[relative] = Asset(body: ByteBuffer(bytes: data), contentType: Self.contentType(of: relative))
        }
        self.files = files
    }

    /// The asset at `path` (relative, `/`-separated), or nil for an unknown or unsafe path.
    /// - Parameter path: the path under `/console/`, already percent-decoded.
    /// - Returns: the asset.
    public func asset(at path: String) -> Asset? {
        guard Self.isSafe(path) else { return nil }
        return self.files[path]
    }

    /// Whether `path` is a plain relative path: no empty, `.` or `..` component, no dot file, no backslash or NUL.
    static func isSafe(_ path: String) -> Bool {
        guard !path.isEmpty, !path.contains("\\"), !path.contains("\0") else { return false }
        return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy {
            !$0.isEmpty && !$0.hasPrefix(".")
        }
    }

    /// The content type for a file name's extension.
    static func contentType(of name: String) -> String {
        switch name.split(separator: ".").last.map({ $0.lowercased() }) ?? "" {
        case "html": "text/html; charset=utf-8"
        case "js", "mjs": "text/javascript; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "ico": "image/x-icon"
        case "json": "application/json"
        case "txt": "text/plain; charset=utf-8"
        default: "application/octet-stream"
        }
    }
}
