/// CloudStack's `Resource.ResourceType`: what a resource limit counts. The raw value is CloudStack's number
/// (`resourcetype`), the name its `resourcetypename`.
public enum ResourceType: Int, Sendable, Hashable, Codable, CaseIterable {
    /// User VMs that are not destroyed.
    case userVM = 0
    /// Public IP addresses allocated to the owner.
    case publicIP = 1
    /// Volumes.
    case volume = 2
    /// Volume snapshots.
    case snapshot = 3
    /// Templates and ISOs.
    case template = 4
    /// Projects (counted for the owning account).
    case project = 5
    /// Guest networks the owner created.
    case network = 6
    /// VPCs.
    case vpc = 7
    /// CPU cores of VMs that are not destroyed.
    case cpu = 8
    /// Memory (MiB) of VMs that are not destroyed.
    case memory = 9
    /// Bytes of volumes (limits are set and shown in GiB).
    case primaryStorage = 10
    /// Bytes of templates and snapshots (limits are set and shown in GiB).
    case secondaryStorage = 11

    /// CloudStack's name (`resourcetypename`), also the column of ``resource_guard``.
    public var name: String {
        switch self {
        case .userVM: "user_vm"
        case .publicIP: "public_ip"
        case .volume: "volume"
        case .snapshot: "snapshot"
        case .template: "template"
        case .project: "project"
        case .network: "network"
        case .vpc: "vpc"
        case .cpu: "cpu"
        case .memory: "memory"
        case .primaryStorage: "primary_storage"
        case .secondaryStorage: "secondary_storage"
        }
    }

    /// Whether the type counts bytes, its limits being given in GiB.
    public var isStorage: Bool { self == .primaryStorage || self == .secondaryStorage }

    /// Bytes in a GiB, the unit of storage limits.
    public static let bytesPerGiB = 1024 * 1024 * 1024

    /// The type named by CloudStack's number or name (`resourcetype=0` or `resourcetype=user_vm`).
    public init?(parameter: String) {
        if let number = Int(parameter) {
            self.init(rawValue: number)
        } else if let type = Self.allCases.first(where: { $0.name == parameter.lowercased() }) {
            self = type
        } else {
            return nil
        }
    }
}

/// Who a resource limit applies to.
public enum ResourceOwnerType: String, Sendable, Hashable, Codable {
    /// An account (a project's account included).
    case account = "Account"
    /// A domain: the limit caps the sum over the domain's subtree.
    case domain = "Domain"
}

/// An explicit resource limit (`resource_limit`): without one the owner has the global default.
public struct ResourceLimit: Sendable, Hashable, Codable {
    /// The account's or domain's UUID.
    public var ownerId: String
    /// Account or domain.
    public var ownerType: ResourceOwnerType
    /// The resource type's number.
    public var type: Int
    /// The maximum in the type's unit (bytes for storage types); -1 for unlimited.
    public var maximum: Int

    /// Creates a limit.
    public init(ownerId: String, ownerType: ResourceOwnerType, type: ResourceType, maximum: Int) {
        self.ownerId = ownerId
        self.ownerType = ownerType
        self.type = type.rawValue
        self.maximum = maximum
    }

    /// The resource type.
    public var resourceType: ResourceType? { ResourceType(rawValue: self.type) }

    /// CloudStack's "unlimited".
    public static let unlimited = -1
}
