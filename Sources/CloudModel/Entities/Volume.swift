/// A disk volume (the root disk of a VM, or a data disk).
public struct Volume: Sendable, Hashable, Codable {
    /// UUID.
    public var id: String
    /// Name.
    public var name: String
    /// VM UUID when attached.
    public var vmId: String?
    /// Zone UUID.
    public var zoneId: String
    /// `ROOT` or `DATADISK`.
    public var type: String
    /// Size in bytes.
    public var size: Int
    /// The state as stored (`Ready`, `Allocated`, `Destroy`, ...); compare ``lifecycleState`` instead.
    public var state: String
    /// Creation time.
    public var created: Double
    /// Owning account UUID (nil only for rows written before volumes had owners).
    public var accountId: String?
    /// The disk offering a data disk was created from.
    public var diskOfferingId: String?
    /// The primary storage pool holding (and reserving space for) the volume.
    public var poolId: String?
    /// The device slot on its VM: 0 for ROOT, 1, 2, 4, 5, ... for data disks (3 is the CD-ROM).
    public var deviceId: Int?
    /// The volume's path on its pool.
    public var path: String?
    /// When it was last attached.
    public var attached: Double?

    /// Creates a volume.
    public init(
        id: String,
        name: String,
        vmId: String?,
        zoneId: String,
        type: String,
        size: Int,
        state: String,
        created: Double,
        accountId: String? = nil,
        diskOfferingId: String? = nil,
        poolId: String? = nil,
        deviceId: Int? = nil,
        path: String? = nil,
        attached: Double? = nil
    ) {
        self.id = id
        self.name = name
        self.vmId = vmId
        self.zoneId = zoneId
        self.type = type
        self.size = size
        self.state = state
        self.created = created
        self.accountId = accountId
        self.diskOfferingId = diskOfferingId
        self.poolId = poolId
        self.deviceId = deviceId
        self.path = path
        self.attached = attached
    }

    /// The state, typed; nil for a stored state this version does not know.
    public var lifecycleState: VolumeState? { VolumeState(rawValue: self.state) }
}

/// CloudStack's device-slot rules for a VM's disks.
public enum VolumeDevices {
    /// The device id CloudStack reserves for the CD-ROM.
    public static let cdrom = 3
    /// Data disks a VM may have attached (CloudStack's Simulator hypervisor capability default).
    public static let maxDataDisks = 6

    /// The device ids a data disk may take: 1, 2, 4, ... (`maxDataDisks` of them).
    public static var dataSlots: [Int] {
        Array((1...(Self.maxDataDisks + 1)).filter { $0 != Self.cdrom })
    }

    /// The lowest free data slot, or nil when every slot is taken.
    /// - Parameter used: the device ids already in use on the VM.
    /// - Returns: the slot.
    public static func nextFree(_ used: Set<Int>) -> Int? {
        Self.dataSlots.first { !used.contains($0) }
    }

    /// Whether `deviceId` is a slot a data disk may ask for.
    /// - Parameter deviceId: the requested id.
    /// - Returns: true when valid.
    public static func isDataSlot(_ deviceId: Int) -> Bool {
        Self.dataSlots.contains(deviceId)
    }
}
