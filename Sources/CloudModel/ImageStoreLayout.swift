/// Where templates and ISOs live in a file-backed image store (CloudStack's secondary storage), so that the
/// management server that downloads them and the agents that boot them agree on the file, from the store's
/// directory and the template's id alone.
public enum ImageStoreLayout {
    /// The `file://` URL of an image store directory.
    /// - Parameter directory: an absolute directory.
    /// - Returns: `file://DIRECTORY`.
    public static func url(directory: String) -> String {
        "file://" + directory
    }

    /// The directory of a `file://` image store URL; nil for any other URL (e.g. a simulator's `nfs://`).
    /// - Parameter url: the image store's URL.
    /// - Returns: the absolute directory, or nil.
    public static func directory(url: String) -> String? {
        guard url.hasPrefix("file:///") else { return nil }
        let path = String(url.dropFirst("file://".count))
        return path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    /// A template's (or ISO's) file, relative to the store's directory: `template/ID.EXT`, the extension the
    /// format's lowercase name (`qcow2`, `raw`, `iso`).
    /// - Parameters:
    ///   - id: the template's id.
    ///   - format: its format as registered (`QCOW2`, `RAW`, `ISO`).
    /// - Returns: the relative path.
    public static func templatePath(id: String, format: String) -> String {
        "template/\(id).\(format.lowercased())"
    }

    /// A volume snapshot's file, relative to the store's directory: CloudStack's `snapshots/ACCOUNT/VOLUME/ID`,
    /// a qcow2 (`ID.qcow2`).
    /// - Parameters:
    ///   - accountId: the snapshot's owner.
    ///   - volumeId: the snapshotted volume.
    ///   - id: the snapshot's id.
    /// - Returns: the relative path.
    public static func snapshotPath(accountId: String, volumeId: String, id: String) -> String {
        "snapshots/\(accountId)/\(volumeId)/\(id).qcow2"
    }
}
