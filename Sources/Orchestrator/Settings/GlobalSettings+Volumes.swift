/// The volume size settings: the bounds of custom disk sizes and of disk offerings (CloudStack's
/// `VolumeOrchestrationService` and `StorageManager` keys).
extension GlobalSettings {
    /// `custom.diskoffering.size.min`: the smallest custom volume, in GiB.
    public static let customDiskOfferingMinSize = "custom.diskoffering.size.min"
    /// `custom.diskoffering.size.max`: the largest custom volume, in GiB.
    public static let customDiskOfferingMaxSize = "custom.diskoffering.size.max"
    /// `storage.max.volume.size`: the largest disk offering, in GiB.
    public static let maxVolumeSize = "storage.max.volume.size"
    /// The bound of the GiB settings (1 PiB): a size in bytes stays far from `Int.max`.
    public static let volumeSizeMaximum = 1 << 20

    /// The volume size settings.
    static let volumes: [SettingDefinition] = [
        SettingDefinition(
            customDiskOfferingMinSize,
            category: "Advanced",
            component: "VolumeOrchestrationService",
            "Minimum size in GB for custom disk offering.",
            type: .number(minimum: 1, maximum: volumeSizeMaximum),
            defaultValue: "1"
        ),
        SettingDefinition(
            customDiskOfferingMaxSize,
            category: "Advanced",
            component: "VolumeOrchestrationService",
            "Maximum size in GB for custom disk offering.",
            type: .number(minimum: 1, maximum: volumeSizeMaximum),
            defaultValue: "1024"
        ),
        SettingDefinition(
            maxVolumeSize,
            category: "Storage",
            component: "StorageManager",
            "The maximum size for a volume (in GB).",
            type: .number(minimum: 1, maximum: volumeSizeMaximum),
            defaultValue: "2000"
        ),
    ]
}
