/// One end of a storage command (CloudStack's `DataTO`: `VolumeObjectTO`, `SnapshotObjectTO`, `TemplateObjectTO`):
/// a volume's file on the host's primary storage, or a snapshot's or template's file in the image store.
public struct AgentDataObject: Codable, Hashable, Sendable {
    /// What the object is (CloudStack's `DataObjectType`).
    public enum Kind: String, Codable, Hashable, Sendable {
        /// A volume on primary storage (``AgentDataObject/disk``).
        case volume = "VOLUME"
        /// A volume snapshot in the image store (``AgentDataObject/path``).
        case snapshot = "SNAPSHOT"
        /// A template in the image store (``AgentDataObject/path``).
        case template = "TEMPLATE"
    }

    /// What the object is.
    public var kind: Kind
    /// For a volume: its disk (file name relative to the agent's primary storage).
    public var disk: AgentDisk?
    /// For a snapshot or template: its qcow2 file, absolute, in the image store (CloudStack's
    /// `snapshots/ACCOUNT/VOLUME/ID.qcow2`, ZooStack's `template/ID.qcow2`).
    public var path: String?

    /// A volume on primary storage.
    /// - Parameter disk: its disk.
    /// - Returns: the object.
    public static func volume(_ disk: AgentDisk) -> AgentDataObject {
        AgentDataObject(kind: .volume, disk: disk, path: nil)
    }

    /// A snapshot's file in the image store.
    /// - Parameter path: the absolute file.
    /// - Returns: the object.
    public static func snapshot(_ path: String) -> AgentDataObject {
        AgentDataObject(kind: .snapshot, disk: nil, path: path)
    }

    /// A template's file in the image store.
    /// - Parameter path: the absolute file.
    /// - Returns: the object.
    public static func template(_ path: String) -> AgentDataObject {
        AgentDataObject(kind: .template, disk: nil, path: path)
    }

    /// Makes a value.
    /// - Parameters:
    ///   - kind: what it is.
    ///   - disk: a volume's disk.
    ///   - path: a snapshot's or template's absolute file.
    public init(kind: Kind, disk: AgentDisk?, path: String?) {
        self.kind = kind
        self.disk = disk
        self.path = path
    }
}
