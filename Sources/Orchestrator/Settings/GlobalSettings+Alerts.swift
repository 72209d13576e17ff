/// The alert settings: capacity notification thresholds (CloudStack's `AlertManager` keys).
extension GlobalSettings {
    /// `cluster.cpu.allocated.capacity.notificationthreshold`.
    public static let clusterCpuNotificationThreshold = "cluster.cpu.allocated.capacity.notificationthreshold"
    /// `cluster.memory.allocated.capacity.notificationthreshold`.
    public static let clusterMemoryNotificationThreshold = "cluster.memory.allocated.capacity.notificationthreshold"

    /// The alert settings.
    static let alerts: [SettingDefinition] = [
        SettingDefinition(
            clusterCpuNotificationThreshold,
            category: "Alert",
            component: "AlertManager",
            "Percentage (as a value between 0 and 1) of cpu utilization above which alerts will be sent about "
                + "low cpu available.",
            type: .range,
            defaultValue: "0.75"
        ),
        SettingDefinition(
            clusterMemoryNotificationThreshold,
            category: "Alert",
            component: "AlertManager",
            "Percentage (as a value between 0 and 1) of memory utilization above which alerts will be sent about "
                + "low memory available.",
            type: .range,
            defaultValue: "0.75"
        ),
    ]
}
