import CloudModel

/// The default resource limits (CloudStack's `max.account.*`, `max.domain.*` and `max.project.*` settings, with
/// CloudStack's defaults): the limit of an account, domain or project without an explicit one; -1 is unlimited.
extension GlobalSettings {
    /// The setting holding the default limit of `type` for an owner of a kind, nil when CloudStack has none.
    /// - Parameters:
    ///   - type: the resource type.
    ///   - owner: `account`, `domain` or `project`.
    /// - Returns: the setting's name.
    public static func defaultLimitName(_ type: ResourceType, owner: DefaultLimitOwner) -> String? {
        guard let suffix = Self.limitSuffixes[type] else { return nil }
        return "max.\(owner.rawValue).\(suffix)"
    }

    /// Whose default a limit setting is.
    public enum DefaultLimitOwner: String, Sendable, CaseIterable {
        /// `max.account.*`.
        case account
        /// `max.domain.*`.
        case domain
        /// `max.project.*`.
        case project
    }

    static let limitSuffixes: [ResourceType: String] = [
        .userVM: "user.vms",
        .publicIP: "public.ips",
        .template: "templates",
        .snapshot: "snapshots",
        .volume: "volumes",
        .network: "networks",
        .vpc: "vpcs",
        .cpu: "cpus",
        .memory: "memory",
        .primaryStorage: "primary.storage",
        .secondaryStorage: "secondary.storage",
        .project: "projects",
    ]

    /// The default limit settings, in CloudStack's order.
    static let limits: [SettingDefinition] = [
        SettingDefinition(
            "max.account.user.vms",
            category: "Account Defaults",
            component: "ResourceLimitManager",
            "The default maximum number of user VMs that can be deployed for an account",
            type: .number(minimum: -1, maximum: Self.integerMaximum),
            defaultValue: "20"
        ),
        SettingDefinition(
            "max.account.public.ips",
            category: "Account Defaults",
            component: "ResourceLimitManager",
            "The default maximum number of public IPs that can be consumed by an account",
            type: .number(minimum: -1, maximum: Self.integerMaximum),
            defaultValue: "20"
        ),
        SettingDefinition(
            "max.account.templates",
            category: "Account Defaults",
            component: "ResourceLimitManager",
            "The default maximum number of templates that can be deployed for an account",
            type: .number(minimum: -1, maximum: Self.integerMaximum),
            defaultValue: "20"
        ),
        SettingDefinition(
            "max.account.snapshots",
            category: "Account Defaults",
            component: "ResourceLimitManager",
            "The default maximum number of snapshots that can be created for an account",
            type: .number(minimum: -1, maximum: Self.integerMaximum),
            defaultValue: "20"
        ),
        SettingDefinition(
            "max.account.volumes",
            category: "Account Defaults",
            component: "ResourceLimitManager",
            "The default maximum number of volumes that can be created for an account",
            type: .number(minimum: -1, maximum: Self.integerMaximum),
            defaultValue: "20"
        ),
        SettingDefinition(
            "max.account.networks",
            category: "Account Defaults",
            component: "ResourceLimitManager",
            "The default maximum number of networks that can be created for an account",
            type: .number(minimum: -1, maximum: Self.integerMaximum),
            defaultValue: "20"
        ),
        SettingDefinition(
            "max.account.vpcs",
            category: "Account Defaults",
            component: "ResourceLimitManager",
            "The default maximum number of vpcs that can be created for an account",
            type: .number(minimum: -1, maximum: Self.integerMaximum),
            defaultValue: "20"
        ),
        SettingDefinition(
            "max.account.cpus",
            category: "Account Defaults",
            component: "ResourceLimitManager",
            "The default maximum number of cpu cores that can be used for an account",
            type: .number(minimum: -1, maximum: Self.integerMaximum),
            defaultValue: "40"
        ),
        SettingDefinition(
            "max.account.memory",
            category: "Account Defaults",
            component: "ResourceLimitManager",
            "The default maximum memory (in MB) that can be used for an account",
            type: .number(minimum: -1, maximum: Self.integerMaximum),
            defaultValue: "40960"
        ),
        SettingDefinition(
            "max.account.primary.storage",
            category: "Account Defaults",
            component: "ResourceLimitManager",
            "The default maximum primary storage space (in GiB) that can be used for an account",
            type: .number(minimum: -1, maximum: Self.integerMaximum),
            defaultValue: "200"
        ),
        SettingDefinition(
            "max.account.secondary.storage",
            category: "Account Defaults",
            component: "ResourceLimitManager",
            "The default maximum secondary storage space (in GiB) that can be used for an account",
            type: .number(minimum: -1, maximum: Self.integerMaximum),
            defaultValue: "400"
        ),
        SettingDefinition(
            "max.account.projects",
            category: "Account Defaults",
            component: "ResourceLimitManager",
            "The default maximum number of projects that can be created for an account",
            type: .number(minimum: -1, maximum: Self.integerMaximum),
            defaultValue: "10"
        ),
        SettingDefinition(
            "max.domain.user.vms",
            category: "Domain Defaults",
            component: "ResourceLimitManager",
            "The default maximum number of user VMs that can be deployed for a domain",
            type: .number(minimum: -1, maximum: Self.integerMaximum),
            defaultValue: "40"
        ),
        SettingDefinition(
            "max.domain.public.ips",
            category: "Domain Defaults",
            component: "ResourceLimitManager",
            "The default maximum number of public IPs that can be consumed by a domain",
            type: .number(minimum: -1, maximum: Self.integerMaximum),
            defaultValue: "40"
        ),
        SettingDefinition(
            "max.domain.templates",
            category: "Domain Defaults",
            component: "ResourceLimitManager",
            "The default maximum number of templates that can be deployed for a domain",
            type: .number(minimum: -1, maximum: Self.integerMaximum),
            defaultValue: "40"
        ),
        SettingDefinition(
            "max.domain.snapshots",
            category: "Domain Defaults",
            component: "ResourceLimitManager",
            "The default maximum number of snapshots that can be created for a domain",
            type: .number(minimum: -1, maximum: Self.integerMaximum),
            defaultValue: "40"
        ),
        SettingDefinition(
            "max.domain.volumes",
            category: "Domain Defaults",
            component: "ResourceLimitManager",
            "The default maximum number of volumes that can be created for a domain",
            type: .number(minimum: -1, maximum: Self.integerMaximum),
            defaultValue: "40"
        ),
        SettingDefinition(
            "max.domain.networks",
            category: "Domain Defaults",
            component: "ResourceLimitManager",
            "The default maximum number of networks that can be created for a domain",
            type: .number(minimum: -1, maximum: Self.integerMaximum),
            defaultValue: "40"
        ),
        SettingDefinition(
            "max.domain.vpcs",
            category: "Domain Defaults",
            component: "ResourceLimitManager",
            "The default maximum number of vpcs that can be created for a domain",
            type: .number(minimum: -1, maximum: Self.integerMaximum),
            defaultValue: "40"
        ),
        SettingDefinition(
            "max.domain.cpus",
            category: "Domain Defaults",
            component: "ResourceLimitManager",
            "The default maximum number of cpu cores that can be used for a domain",
            type: .number(minimum: -1, maximum: Self.integerMaximum),
            defaultValue: "80"
        ),
        SettingDefinition(
            "max.domain.memory",
            category: "Domain Defaults",
            component: "ResourceLimitManager",
            "The default maximum memory (in MB) that can be used for a domain",
            type: .number(minimum: -1, maximum: Self.integerMaximum),
            defaultValue: "81920"
        ),
        SettingDefinition(
            "max.domain.primary.storage",
            category: "Domain Defaults",
            component: "ResourceLimitManager",
            "The default maximum primary storage space (in GiB) that can be used for a domain",
            type: .number(minimum: -1, maximum: Self.integerMaximum),
            defaultValue: "400"
        ),
        SettingDefinition(
            "max.domain.secondary.storage",
            category: "Domain Defaults",
            component: "ResourceLimitManager",
            "The default maximum secondary storage space (in GiB) that can be used for a domain",
            type: .number(minimum: -1, maximum: Self.integerMaximum),
            defaultValue: "800"
        ),
        SettingDefinition(
            "max.domain.projects",
            category: "Domain Defaults",
            component: "ResourceLimitManager",
            "The default maximum number of projects that can be created for a domain",
            type: .number(minimum: -1, maximum: Self.integerMaximum),
            defaultValue: "50"
        ),
        SettingDefinition(
            "max.project.user.vms",
            category: "Project Defaults",
            component: "ResourceLimitManager",
            "The default maximum number of user VMs that can be deployed for a project",
            type: .number(minimum: -1, maximum: Self.integerMaximum),
            defaultValue: "20"
        ),
        SettingDefinition(
            "max.project.public.ips",
            category: "Project Defaults",
            component: "ResourceLimitManager",
            "The default maximum number of public IPs that can be consumed by a project",
            type: .number(minimum: -1, maximum: Self.integerMaximum),
            defaultValue: "20"
        ),
        SettingDefinition(
            "max.project.templates",
            category: "Project Defaults",
            component: "ResourceLimitManager",
            "The default maximum number of templates that can be deployed for a project",
            type: .number(minimum: -1, maximum: Self.integerMaximum),
            defaultValue: "20"
        ),
        SettingDefinition(
            "max.project.snapshots",
            category: "Project Defaults",
            component: "ResourceLimitManager",
            "The default maximum number of snapshots that can be created for a project",
            type: .number(minimum: -1, maximum: Self.integerMaximum),
            defaultValue: "20"
        ),
        SettingDefinition(
            "max.project.volumes",
            category: "Project Defaults",
            component: "ResourceLimitManager",
            "The default maximum number of volumes that can be created for a project",
            type: .number(minimum: -1, maximum: Self.integerMaximum),
            defaultValue: "20"
        ),
        SettingDefinition(
            "max.project.networks",
            category: "Project Defaults",
            component: "ResourceLimitManager",
            "The default maximum number of networks that can be created for a project",
            type: .number(minimum: -1, maximum: Self.integerMaximum),
            defaultValue: "20"
        ),
        SettingDefinition(
            "max.project.vpcs",
            category: "Project Defaults",
            component: "ResourceLimitManager",
            "The default maximum number of vpcs that can be created for a project",
            type: .number(minimum: -1, maximum: Self.integerMaximum),
            defaultValue: "20"
        ),
        SettingDefinition(
            "max.project.cpus",
            category: "Project Defaults",
            component: "ResourceLimitManager",
            "The default maximum number of cpu cores that can be used for a project",
            type: .number(minimum: -1, maximum: Self.integerMaximum),
            defaultValue: "40"
        ),
        SettingDefinition(
            "max.project.memory",
            category: "Project Defaults",
            component: "ResourceLimitManager",
            "The default maximum memory (in MB) that can be used for a project",
            type: .number(minimum: -1, maximum: Self.integerMaximum),
            defaultValue: "40960"
        ),
        SettingDefinition(
            "max.project.primary.storage",
            category: "Project Defaults",
            component: "ResourceLimitManager",
            "The default maximum primary storage space (in GiB) that can be used for a project",
            type: .number(minimum: -1, maximum: Self.integerMaximum),
            defaultValue: "200"
        ),
        SettingDefinition(
            "max.project.secondary.storage",
            category: "Project Defaults",
            component: "ResourceLimitManager",
            "The default maximum secondary storage space (in GiB) that can be used for a project",
            type: .number(minimum: -1, maximum: Self.integerMaximum),
            defaultValue: "400"
        ),
    ]
}
