#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What `qemu-img info --output=json` says of an image file: its format as QEMU probes it, its virtual size (what
/// a guest sees) and its actual size on disk, and its backing file if any.
///
/// ```swift
/// let info = try await ImageInfo.read(path: "/var/lib/zoostack/images/template/ID.qcow2")
/// print(info.format, info.virtualSize)
/// ```
public struct ImageInfo: Sendable, Hashable, Decodable {
    /// The format QEMU probed (`qcow2`, `raw`, `vmdk`, ...).
    public var format: String
    /// The size a guest sees, in bytes.
    public var virtualSize: Int
    /// The bytes the file takes on disk.
    public var actualSize: Int
    /// The backing file a qcow2 image names (nil for none): a downloaded image must name none, or it could make
    /// QEMU open any file of the host.
    public var backingFile: String?

    enum CodingKeys: String, CodingKey {
        case format
        case virtualSize = "virtual-size"
        case actualSize = "actual-size"
        case backingFile = "backing-filename"
    }

    /// Creates a value (tests; ``read(path:timeout:)`` reads one from a file).
    /// - Parameters:
    ///   - format: the format.
    ///   - virtualSize: the virtual size in bytes.
    ///   - actualSize: the size on disk in bytes.
    ///   - backingFile: the backing file, if any.
    public init(format: String, virtualSize: Int, actualSize: Int, backingFile: String? = nil) {
        self.format = format
        self.virtualSize = virtualSize
        self.actualSize = actualSize
        self.backingFile = backingFile
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.format = try container.decode(String.self, forKey: .format)
        self.virtualSize = try container.decode(Int.self, forKey: .virtualSize)
        self.actualSize = try container.decodeIfPresent(Int.self, forKey: .actualSize) ?? 0
        self.backingFile = try container.decodeIfPresent(String.self, forKey: .backingFile)
    }

    /// Runs `qemu-img info --output=json` on a file, letting QEMU probe its format.
    /// - Parameters:
    ///   - path: the image file.
    ///   - timeout: how long `qemu-img` may run.
    /// - Returns: what it said.
    /// - Throws: `toolMissing` without `qemu-img`; `toolFailed` when it fails (the message ends with its last stderr
    ///   line); `timeout`; `invalidImage` when its output cannot be read.
    public static func read(path: String, timeout: Duration = .seconds(60)) async throws(QEMUError) -> ImageInfo {
        let output = try await ImageTool.run("qemu-img", ["info", "--output=json", path], timeout: timeout)
        do {
            return try JSONDecoder().decode(ImageInfo.self, from: output)
        } catch {
            throw QEMUError(.invalidImage, "qemu-img info gave no readable answer for \(path)")
        }
    }

    /// Whether a file is an ISO 9660 image: its first volume descriptor (at 32768, ECMA-119 8.1) carries the
    /// standard identifier `CD001` at offset 1.
    /// - Parameter path: the file.
    /// - Returns: true for an ISO 9660 image.
    public static func isISO9660(path: String) -> Bool {
        FileBytes.read(path, from: 32769, upTo: 5) == Array("CD001".utf8)
    }
}
