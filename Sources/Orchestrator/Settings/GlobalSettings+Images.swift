/// The image store settings (CloudStack's `Config.MaxTemplateAndIsoSize`).
extension GlobalSettings {
    /// `max.template.iso.size`: the largest template or ISO a file image store downloads, in GiB.
    public static let maxTemplateIsoSize = "max.template.iso.size"

    /// The image store settings.
    static let images: [SettingDefinition] = [
        SettingDefinition(
            maxTemplateIsoSize,
            category: "Advanced",
            component: "ManagementServer",
            "The maximum size for a downloaded template or ISO (in GB).",
            type: .number(minimum: 1, maximum: volumeSizeMaximum),
            defaultValue: "50"
        )
    ]
}
