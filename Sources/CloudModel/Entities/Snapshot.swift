/// A volume snapshot on secondary storage.
public struct Snapshot: Sendable, Hashable, Codable {
    /// UUID.
    public var id: String
    /// Name (`VMNAME_VOLUMENAME_yyyyMMddHHmmss`, as CloudStack names them).
    public var name: String
    /// The snapshotted volume.
    public var volumeId: String
    /// The volume's name when snapshotted.
    public var volumeName: String
    /// The volume's type (`ROOT` or `DATADISK`).
    public var volumeType: String
    /// Owning account UUID.
    public var accountId: String
    /// Zone UUID.
    public var zoneId: String
    /// Size in bytes (the volume's size when snapshotted; a real snapshot's file's virtual size).
    public var size: Int
    /// `BackingUp`, `BackedUp`, `Error`, ...
    public var state: String
    /// `MANUAL`, `HOURLY`, `DAILY`, `WEEKLY` or `MONTHLY`.
    public var intervalType: String
    /// Creation time.
    public var created: Double
    /// The bytes a real snapshot's file takes in the image store; nil for a snapshot that is a record only (the
    /// simulator's), which has no file.
    public var physicalSize: Int?

    /// Creates a snapshot.
    public init(
        id: String,
        name: String,
        volumeId: String,
        volumeName: String,
        volumeType: String,
        accountId: String,
        zoneId: String,
        size: Int,
        state: String,
        intervalType: String,
        created: Double,
        physicalSize: Int? = nil
    ) {
        self.id = id
        self.name = name
        self.volumeId = volumeId
        self.volumeName = volumeName
        self.volumeType = volumeType
        self.accountId = accountId
        self.zoneId = zoneId
        self.size = size
        self.state = state
        self.intervalType = intervalType
        self.created = created
        self.physicalSize = physicalSize
    }
}

/// A recurring snapshot schedule of a volume.
public struct SnapshotPolicy: Sendable, Hashable, Codable {
    /// UUID.
    public var id: String
    /// The volume.
    public var volumeId: String
    /// Owning account UUID.
    public var accountId: String
    /// `HOURLY`, `DAILY`, `WEEKLY` or `MONTHLY`.
    public var intervalType: String
    /// CloudStack's schedule text (`MM`, `MM:HH`, `MM:HH:DD`).
    public var schedule: String
    /// Time zone id.
    public var timezone: String
    /// How many snapshots the policy keeps.
    public var maxSnaps: Int
    /// Creation time.
    public var created: Double

    /// Creates a policy.
    public init(
        id: String,
        volumeId: String,
        accountId: String,
        intervalType: String,
        schedule: String,
        timezone: String,
        maxSnaps: Int,
        created: Double
    ) {
        self.id = id
        self.volumeId = volumeId
        self.accountId = accountId
        self.intervalType = intervalType
        self.schedule = schedule
        self.timezone = timezone
        self.maxSnaps = maxSnaps
        self.created = created
    }
}
