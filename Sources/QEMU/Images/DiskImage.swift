#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Disk image files through `qemu-img`: the overlays, blank disks and resizes a host agent makes in primary
/// storage. Each call is bounded in time; a failure carries `qemu-img`'s own last stderr line.
public enum DiskImage {
    /// What `qemu-img info` reports about a file.
    public struct Info: Sendable, Hashable {
        /// The format (`qcow2`, `raw`, ...).
        public var format: String
        /// The size the guest sees, in bytes.
        public var virtualSize: Int64
        /// The bytes the file takes on disk.
        public var actualSize: Int64
        /// The backing file of an overlay, as recorded in it.
        public var backingFile: String?

        /// Makes a value.
        /// - Parameters:
        ///   - format: the format.
        ///   - virtualSize: the guest-visible size.
        ///   - actualSize: the allocated size.
        ///   - backingFile: the backing file, if any.
        public init(format: String, virtualSize: Int64, actualSize: Int64, backingFile: String? = nil) {
            self.format = format
            self.virtualSize = virtualSize
            self.actualSize = actualSize
            self.backingFile = backingFile
        }
    }

    /// Reads a file's format and sizes (`qemu-img info --output=json -U`: the shared lock lets it read an image a
    /// running QEMU holds).
    /// - Parameter path: the file.
    /// - Returns: its description.
    /// - Throws: `.toolMissing` without qemu-img, `.toolFailed` with its message (no such file, unknown format).
    public static func info(_ path: String) async throws(QEMUError) -> Info {
        let output = try await ImageTool.run("qemu-img", ["info", "--output=json", "-U", path], timeout: .seconds(30))
        return try Self.info(parsing: output, of: path)
    }

    /// The ``Info`` in `qemu-img info --output=json`'s output for `path`.
    private static func info(parsing output: Data, of path: String) throws(QEMUError) -> Info {
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: output),
            let format = value["format"]?.stringValue, let virtualSize = value["virtual-size"]?.intValue
        else { throw QEMUError(.toolFailed, "qemu-img info \(path): unexpected output") }
        return Info(
            format: format,
            virtualSize: Int64(virtualSize),
            actualSize: Int64(value["actual-size"]?.intValue ?? 0),
            backingFile: value["backing-filename"]?.stringValue
        )
    }

    /// Creates a qcow2 overlay on a backing file (a root disk on its template), at least `size` bytes large: the
    /// backing file's virtual size, grown to `size` when that is larger.
    /// - Parameters:
    ///   - path: the overlay to create (it must not exist).
    ///   - backingFile: the backing file (absolute).
    ///   - backingFormat: its format (`qcow2`, `raw`).
    ///   - size: the least virtual size in bytes (nil: the backing file's).
    /// - Throws: `.toolFailed` with qemu-img's message (a missing or corrupt backing file); nothing is left at
    ///   `path` then.
    public static func createOverlay(
        at path: String,
        backingFile: String,
        backingFormat: String,
        size: Int64? = nil
    ) async throws(QEMUError) {
        // Read first on its own: `create` would end its stderr with "Could not open backing image." only. Its
        // virtual size decides whether the overlay is made larger, at creation (two qemu-img runs, where a create, a second info and a resize were up to four).
        let backing = try Self.info(
            parsing: try await ImageTool.run(
                "qemu-img",
                ["info", "--output=json", "-U", "-f", backingFormat, backingFile],
                timeout: .seconds(30)
            ),
            of: backingFile
        )
        var arguments = ["create", "-q", "-f", "qcow2", "-F", backingFormat, "-b", backingFile, path]
        if let size, size > backing.virtualSize { arguments.append(String(size)) }
        do {
            try await ImageTool.run("qemu-img", arguments, timeout: .seconds(60))
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
    }

    /// Creates a blank image.
    /// - Parameters:
    ///   - path: the file to create.
    ///   - size: its virtual size in bytes.
    ///   - format: `qcow2` (the default) or `raw`.
    /// - Throws: `.toolFailed` with qemu-img's message.
    public static func create(at path: String, size: Int64, format: String = "qcow2") async throws(QEMUError) {
        try await ImageTool.run("qemu-img", ["create", "-q", "-f", format, path, String(size)], timeout: .seconds(60))
    }

    /// Copies an image into a new, self-contained qcow2 (`qemu-img convert -O qcow2`): a backing chain is read
    /// through and flattened, so the copy names no backing file.
    /// - Parameters:
    ///   - source: the image (not written to meanwhile).
    ///   - sourceFormat: its format (`qcow2`, `raw`), so that nothing is probed.
    ///   - destination: the file to write (replaced when it exists).
    ///   - timeout: how long the copy may take.
    /// - Throws: `.toolFailed` with qemu-img's message, `.timeout`.
    public static func convert(
        _ source: String,
        sourceFormat: String,
        to destination: String,
        timeout: Duration = .seconds(100)
    ) async throws(QEMUError) {
        try await ImageTool.run(
            "qemu-img",
            ["convert", "-q", "-f", sourceFormat, "-O", "qcow2", source, destination],
            timeout: timeout
        )
    }

    /// Grows (or shrinks) an image's virtual size.
    /// - Parameters:
    ///   - path: the image (not in use by a QEMU).
    ///   - size: the new virtual size in bytes.
    /// - Throws: `.toolFailed` with qemu-img's message.
    public static func resize(_ path: String, to size: Int64) async throws(QEMUError) {
        try await ImageTool.run("qemu-img", ["resize", "-q", path, String(size)], timeout: .seconds(60))
    }
}

/// Runs a host program with a time limit, for the host agent's other needs (e.g. `ip` for bridges and taps).
public enum HostTool {
    /// Runs `name` with `arguments` to its end.
    /// - Parameters:
    ///   - name: the program, looked up on `PATH` and the system directories.
    ///   - arguments: its arguments.
    ///   - timeout: how long it may run before it is killed.
    /// - Returns: its standard output.
    /// - Throws: `.toolMissing`, `.toolFailed` (non-zero exit, with its last stderr line) or `.timeout`.
    @discardableResult
    public static func run(
        _ name: String,
        _ arguments: [String],
        timeout: Duration = .seconds(30)
    )
        async throws(QEMUError) -> Data
    {
        try await ImageTool.run(name, arguments, timeout: timeout)
    }
}
