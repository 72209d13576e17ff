/// The live migration settings (CloudStack's `Config.MigrateWait`).
extension GlobalSettings {
    /// `migratewait`: how long a live migration may take, in seconds, before it is cancelled (the VM then keeps
    /// running on its source host).
    public static let migrateWait = "migratewait"

    /// The live migration settings.
    static let migration: [SettingDefinition] = [
        SettingDefinition(
            migrateWait,
            category: "Advanced",
            component: "AgentManager",
            "Time (in seconds) to wait for VM migrate finish.",
            type: .number(minimum: 1, maximum: Self.integerMaximum),
            defaultValue: "3600"
        )
    ]
}
