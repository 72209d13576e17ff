extension Migrations {
    /// Real snapshots: the bytes their file takes in the image store (NULL for a snapshot that is a record only).
    static let snapshotFiles = Migration(
        version: 17,
        name: "real snapshots: the physical size of their file in the image store",
        statements: ["ALTER TABLE snapshot ADD COLUMN physical_size INTEGER"]
    )
}
