/// File names that come from the management server: a disk's `path` and a VM's id name files under the agent's
/// directories, so each must be one plain path component (CloudStack's volume paths are file names too).
enum PlainName {
    /// Whether `name` is one path component: not empty, not `.` or `..`, no `/` or NUL, at most 255 bytes.
    static func isValid(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && !name.contains("/") && !name.contains("\0")
            && name.utf8.count <= 255
    }
}
