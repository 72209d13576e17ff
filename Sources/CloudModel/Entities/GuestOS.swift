/// A guest OS category (CloudStack's `guest_os_category`): `CentOS`, `Debian`, `Ubuntu`, `Windows`, ...
public struct GuestOSCategory: Sendable, Hashable {
    /// UUID (fixed, so that every server and every restart answers the same one).
    public var id: String
    /// Name.
    public var name: String
}

/// A guest OS type (CloudStack's `guest_os`): what a template's or VM's `ostypeid` names.
public struct GuestOSType: Sendable, Hashable {
    /// UUID (fixed).
    public var id: String
    /// The description CloudStack lists, e.g. `Ubuntu 22.04 LTS` (templates name their OS type by it).
    public var description: String
    /// The category's UUID.
    public var categoryId: String
}

/// The OS categories and types a fresh CloudStack lists (a seeded subset of its `guest_os` rows: the common
/// Linux, Windows and generic types), with fixed UUIDs.
public enum GuestOSCatalogue {
    /// The UUID of the category or type numbered `number` (kind 1 for categories, 2 for types).
    static func uuid(_ kind: Int, _ number: Int) -> String {
        let digits = String(number)
        return "0e5c0000-0000-4\(kind)00-8000-" + String(repeating: "0", count: 12 - digits.count) + digits
    }

    /// CloudStack's categories, in its order (ids 1 to 11 of `guest_os_category`).
    public static let categories: [GuestOSCategory] = [
        "CentOS", "Debian", "Oracle", "RedHat", "SUSE", "Windows", "Other", "Novel", "Unix", "Ubuntu", "None",
    ].enumerated().map { GuestOSCategory(id: Self.uuid(1, $0.offset + 1), name: $0.element) }

    /// The seeded types: (category number, description).
    static let seeds: [(Int, String)] = [
        (1, "CentOS 5.6 (64-bit)"), (1, "CentOS 6.10 (64-bit)"), (1, "CentOS 7"), (1, "CentOS 8"),
        (2, "Debian GNU/Linux 10 (64-bit)"), (2, "Debian GNU/Linux 11 (64-bit)"), (2, "Debian GNU/Linux 12 (64-bit)"),
        (3, "Oracle Linux 8"), (3, "Oracle Linux 9"),
        (4, "Red Hat Enterprise Linux 7"), (4, "Red Hat Enterprise Linux 8"), (4, "Red Hat Enterprise Linux 9"),
        (4, "Rocky Linux 8"), (4, "Rocky Linux 9"), (4, "AlmaLinux 8"), (4, "AlmaLinux 9"),
        (5, "SUSE Linux Enterprise Server 15 (64-bit)"),
        (6, "Windows 10 (64-bit)"), (6, "Windows 11 (64-bit)"), (6, "Windows Server 2019 (64-bit)"),
        (6, "Windows Server 2022 (64-bit)"),
        (7, "Other (32-bit)"), (7, "Other (64-bit)"), (7, "Other Linux (32-bit)"), (7, "Other Linux (64-bit)"),
        (7, "Other PV (64-bit)"), (7, "Other PV Virtio-SCSI (64-bit)"),
        (9, "FreeBSD 12 (64-bit)"), (9, "FreeBSD 13 (64-bit)"),
        (10, "Ubuntu 18.04 LTS"), (10, "Ubuntu 20.04 LTS"), (10, "Ubuntu 22.04 LTS"), (10, "Ubuntu 24.04 LTS"),
    ]

    /// The seeded types, in order.
    public static let types: [GuestOSType] = Self.seeds.enumerated().map { index, seed in
        GuestOSType(id: Self.uuid(2, index + 1), description: seed.1, categoryId: Self.uuid(1, seed.0))
    }

    /// The OS type's description for a template or ISO registered with `ostypeid`: the seeded type's, else
    /// `Other (64-bit)` (an id ZooStack does not seed is kept lenient, as older clients pass made-up ones).
    public static func description(ofTypeId id: String?) -> String {
        id.flatMap { id in Self.types.first { $0.id == id.lowercased() } }?.description ?? "Other (64-bit)"
    }

    /// The type with this description (in any case): how a template's `osTypeName` finds its `ostypeid`.
    public static func type(described description: String) -> GuestOSType? {
        let wanted = description.lowercased()
        return Self.types.first { $0.description.lowercased() == wanted }
    }
}
