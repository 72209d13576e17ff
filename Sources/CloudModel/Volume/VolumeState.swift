/// The states of a volume, spelled as CloudStack's `Volume.State` spells them (the `state` of `listVolumes`).
public enum VolumeState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Allocated, not created on a pool yet (a new data disk).
    case allocated = "Allocated"
    case creating = "Creating"
    /// Ready to be used.
    case ready = "Ready"
    case migrating = "Migrating"
    case snapshotting = "Snapshotting"
    case revertSnapshotting = "RevertSnapshotting"
    case resizing = "Resizing"
    case expunging = "Expunging"
    case expunged = "Expunged"
    /// Destroyed, and recoverable.
    case destroy = "Destroy"
    case destroying = "Destroying"
    case uploadOp = "UploadOp"
    case copying = "Copying"
    /// Uploaded, not yet copied to primary storage.
    case uploaded = "Uploaded"
    case notUploaded = "NotUploaded"
    case uploadInProgress = "UploadInProgress"
    case uploadError = "UploadError"
    case uploadAbandoned = "UploadAbandoned"
    case attaching = "Attaching"

    /// Whether a detached data disk in this state may be attached to a VM (CloudStack's `attachVolume` check):
    /// Allocated, Ready or Uploaded.
    public var isAttachable: Bool {
        switch self {
        case .allocated, .ready, .uploaded: true
        case .creating, .migrating, .snapshotting, .revertSnapshotting, .resizing, .expunging, .expunged, .destroy,
            .destroying, .uploadOp, .copying, .notUploaded, .uploadInProgress, .uploadError, .uploadAbandoned,
            .attaching:
            false
        }
    }

    /// Whether a volume in this state may be resized (CloudStack's `resizeVolume` check): Ready or Allocated.
    public var isResizable: Bool {
        switch self {
        case .allocated, .ready: true
        case .creating, .migrating, .snapshotting, .revertSnapshotting, .resizing, .expunging, .expunged, .destroy,
            .destroying, .uploadOp, .copying, .uploaded, .notUploaded, .uploadInProgress, .uploadError,
            .uploadAbandoned, .attaching:
            false
        }
    }
}
