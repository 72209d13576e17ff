import CloudModel

/// A model type stored as one row of one table, columns in snake case.
public protocol StoreRow: Codable, Sendable {
    /// The table's name.
    static var table: String { get }
}

extension Zone: StoreRow { public static var table: String { "zone" } }
extension Pod: StoreRow { public static var table: String { "pod" } }
extension Cluster: StoreRow { public static var table: String { "cluster" } }
extension Host: StoreRow { public static var table: String { "host" } }
extension StoragePool: StoreRow { public static var table: String { "storage_pool" } }
extension Template: StoreRow { public static var table: String { "template" } }
extension ServiceOffering: StoreRow { public static var table: String { "service_offering" } }
extension DiskOffering: StoreRow { public static var table: String { "disk_offering" } }
extension Domain: StoreRow { public static var table: String { "domain" } }
extension Account: StoreRow { public static var table: String { "account" } }
extension User: StoreRow { public static var table: String { "user" } }
extension UserData: StoreRow { public static var table: String { "user_data" } }
extension TemplateUserData: StoreRow { public static var table: String { "template_user_data" } }
extension RoleDefinition: StoreRow { public static var table: String { "roles" } }
extension RolePermission: StoreRow { public static var table: String { "role_permissions" } }
extension VirtualMachine: StoreRow { public static var table: String { "vm_instance" } }
extension Volume: StoreRow { public static var table: String { "volume" } }
extension VirtualMachineStats: StoreRow { public static var table: String { "vm_stats" } }
extension HostStats: StoreRow { public static var table: String { "host_stats" } }
extension VolumeStats: StoreRow { public static var table: String { "volume_stats" } }
extension Nic: StoreRow { public static var table: String { "nic" } }
extension Network: StoreRow { public static var table: String { "network" } }
extension AsyncJob: StoreRow { public static var table: String { "async_job" } }
extension Snapshot: StoreRow { public static var table: String { "snapshot" } }
extension SnapshotPolicy: StoreRow { public static var table: String { "snapshot_policy" } }
extension Event: StoreRow { public static var table: String { "event" } }
extension Alert: StoreRow { public static var table: String { "alert" } }
extension ClusterDrsPlan: StoreRow { public static var table: String { "cluster_drs_plan" } }
extension ClusterDrsPlanMigration: StoreRow { public static var table: String { "cluster_drs_plan_migration" } }
