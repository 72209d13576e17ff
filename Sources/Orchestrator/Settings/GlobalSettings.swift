import CloudModel

/// The registry of global settings ZooStack reads, with CloudStack's names, categories, defaults and texts.
///
/// Values live in the `configuration` table, which holds only the overrides (name, value); a setting without a row
/// has its default. Every own setting is global and dynamic: changes apply without a restart.
public enum GlobalSettings {
    /// Names of the settings other parts of ZooStack read (CloudStack's names).
    public enum Name {
        /// `default.page.size`: the default and maximum `pagesize` of list commands.
        public static let defaultPageSize = "default.page.size"
        /// `expunge.delay`: seconds a destroyed VM waits before the expunge thread removes it.
        public static let expungeDelay = "expunge.delay"
        /// `expunge.interval`: seconds between runs of the expunge thread.
        public static let expungeInterval = "expunge.interval"
        /// `ping.interval`: seconds between agent pings.
        public static let pingInterval = "ping.interval"
        /// `ping.timeout`: multiplier of `ping.interval` before a silent host is investigated.
        public static let pingTimeout = "ping.timeout"
        /// `investigate.retry.interval`: seconds between investigations of a host that stopped answering.
        public static let investigateRetryInterval = "investigate.retry.interval"
        /// `restart.retry.interval`: seconds between HA restart attempts of a VM.
        public static let restartRetryInterval = "restart.retry.interval"
        /// `drs.automatic.enable`.
        public static let drsAutomaticEnable = "drs.automatic.enable"
        /// `drs.automatic.interval` (minutes).
        public static let drsAutomaticInterval = "drs.automatic.interval"
        /// `drs.imbalance`.
        public static let drsImbalance = "drs.imbalance"
        /// `drs.max.migrations`.
        public static let drsMaxMigrations = "drs.max.migrations"
        /// `drs.algorithm`.
        public static let drsAlgorithm = "drs.algorithm"
        /// `drs.metric`.
        public static let drsMetric = "drs.metric"
        /// `drs.metric.type`: `used` or `free`.
        public static let drsMetricType = "drs.metric.type"
        /// `drs.metric.useratio`: measure hosts as a fraction of their capacity.
        public static let drsMetricUseRatio = "drs.metric.useratio"
        /// `storage.overprovisioning.factor`.
        public static let storageOverprovisioningFactor = "storage.overprovisioning.factor"
    }

    /// The settings ZooStack reads, in listing order.
    public static let own: [SettingDefinition] =
        placement + operations + volumes + images + drs + limits + alerts + security + metrics + migration

    /// Every setting `listConfigurations` shows: ZooStack's own, then the rest of CloudStack's catalogue
    /// (``CloudStackSettingsCatalog``), which ZooStack stores and lists but does not read. An own setting wins over
    /// a catalogue entry of the same name.
    public static let all: [SettingDefinition] = {
        let names = Set(own.map(\.name))
        return own + CloudStackSettingsCatalog.entries.filter { !names.contains($0.name) }.map(\.definition)
    }()

    /// The bound of whole-number settings (CloudStack reads them as Java `Integer`s).
    static let integerMaximum = Int(Int32.max)
    /// The bound of the overprovisioning factors: a total times the factor stays far from `Int.max`.
    public static let factorMaximum = 1000.0
    /// The bound of the host liveness intervals, in seconds (a day).
    static let intervalMaximum = 86_400

    /// The settings by name.
    public static let byName: [String: SettingDefinition] = Dictionary(
        uniqueKeysWithValues: all.map { ($0.name, $0) }
    )

    /// The settings the deployment planner reads on every decision.
    static let placement: [SettingDefinition] = [
        SettingDefinition(
            PlacementSettings.Key.allocationAlgorithm,
            category: "Advanced",
            component: "DeploymentClusterPlanner",
            "Order in which hosts within a cluster will be considered for VM allocation. The planner is also "
                + "chosen based on this value.",
            type: .select(AllocationAlgorithm.allCases.map(\.rawValue)),
            defaultValue: AllocationAlgorithm.random.rawValue
        ),
        SettingDefinition(
            "vm.deployment.planner",
            category: "Advanced",
            component: "ManagementServer",
            "Planner used in VM deployment; vm.allocation.algorithm selects the ordering ZooStack applies.",
            type: .select(["FirstFitPlanner", "UserDispersingPlanner", "UserConcentratedPodPlanner"]),
            defaultValue: "FirstFitPlanner"
        ),
        SettingDefinition(
            PlacementSettings.Key.cpuOverprovisioningFactor,
            category: "Advanced",
            component: "CapacityManager",
            "Used for CPU overprovisioning calculation; available CPU will be (actualCpuCapacity * "
                + "cpu.overprovisioning.factor)",
            type: .decimal(maximum: Self.factorMaximum),
            defaultValue: "1.0"
        ),
        SettingDefinition(
            PlacementSettings.Key.memoryOverprovisioningFactor,
            category: "Advanced",
            component: "CapacityManager",
            "Used for memory overprovisioning calculation",
            type: .decimal(maximum: Self.factorMaximum),
            defaultValue: "1.0"
        ),
        SettingDefinition(
            PlacementSettings.Key.clusterCpuDisableThreshold,
            category: "Alert",
            component: "DeploymentClusterPlanner",
            "Percentage (as a value between 0 and 1) of cpu utilization above which allocators will disable "
                + "using the cluster for low cpu available. Keep the corresponding notification threshold lower "
                + "than this to be notified beforehand.",
            type: .range,
            defaultValue: "0.85"
        ),
        SettingDefinition(
            PlacementSettings.Key.clusterMemoryDisableThreshold,
            category: "Alert",
            component: "DeploymentClusterPlanner",
            "Percentage (as a value between 0 and 1) of memory utilization above which allocators will disable "
                + "using the cluster for low memory available. Keep the corresponding notification threshold "
                + "lower than this to be notified beforehand.",
            type: .range,
            defaultValue: "0.85"
        ),
        SettingDefinition(
            PlacementSettings.Key.clusterThresholdEnabled,
            category: "Advanced",
            component: "DeploymentClusterPlanner",
            "Enable/Disable cluster thresholds. If disabled, an instance can start in a cluster even if its "
                + "capacity exceeds the disable thresholds.",
            type: .boolean,
            defaultValue: "true"
        ),
        SettingDefinition(
            PlacementSettings.Key.capacityTypeToOrderClusters,
            category: "Advanced",
            component: "DeploymentClusterPlanner",
            "The host capacity type (CPU or RAM) is used by deployment planner to order clusters during VM "
                + "resource allocation",
            type: .select(PlacementSettings.CapacityType.allCases.map(\.rawValue)),
            defaultValue: PlacementSettings.CapacityType.cpu.rawValue
        ),
    ]

    /// Paging, expunging, host liveness and storage settings.
    static let operations: [SettingDefinition] = [
        SettingDefinition(
            Name.defaultPageSize,
            category: "Advanced",
            component: "ManagementServer",
            "Default page size for API list* commands",
            type: .number(minimum: 1, maximum: Self.integerMaximum),
            defaultValue: "500"
        ),
        SettingDefinition(
            Name.expungeDelay,
            category: "Advanced",
            component: "UserVmManager",
            "Determines how long (in seconds) to wait before actually expunging destroyed vm. The default value "
                + "= the default value of expunge.interval",
            type: .number(minimum: 0, maximum: Self.integerMaximum),
            defaultValue: "86400"
        ),
        SettingDefinition(
            Name.expungeInterval,
            category: "Advanced",
            component: "UserVmManager",
            "The interval (in seconds) to wait before running the expunge thread.",
            type: .number(minimum: 1, maximum: Self.integerMaximum),
            defaultValue: "86400"
        ),
        SettingDefinition(
            Name.pingInterval,
            category: "Advanced",
            component: "AgentManager",
            "Interval to send application level pings to make sure the connection is still working",
            type: .number(minimum: 1, maximum: Self.intervalMaximum),
            defaultValue: "60"
        ),
        SettingDefinition(
            Name.pingTimeout,
            category: "Advanced",
            component: "AgentManager",
            "Multiplier to ping.interval before announcing an agent has timed out",
            type: .decimal(maximum: 100),
            defaultValue: "2.5"
        ),
        SettingDefinition(
            Name.investigateRetryInterval,
            category: "Advanced",
            component: "HighAvailabilityManager",
            "Time (in seconds) between VM pings when agent is disconnected",
            type: .number(minimum: 1, maximum: Self.intervalMaximum),
            defaultValue: "60"
        ),
        SettingDefinition(
            Name.restartRetryInterval,
            category: "Advanced",
            component: "HighAvailabilityManager",
            "Time (in seconds) between retries to restart a vm",
            type: .number(minimum: 1, maximum: Self.intervalMaximum),
            defaultValue: "600"
        ),
        SettingDefinition(
            Name.storageOverprovisioningFactor,
            category: "Storage",
            component: "StorageManager",
            "Used for storage overprovisioning calculation; available storage will be (actualStorageSize * "
                + "storage.overprovisioning.factor)",
            type: .decimal(maximum: Self.factorMaximum),
            defaultValue: "2"
        ),
    ]

    /// The cluster DRS settings (CloudStack's ClusterDrsService keys).
    static let drs: [SettingDefinition] = [
        SettingDefinition(
            Name.drsAutomaticEnable,
            category: "Advanced",
            component: "ClusterDrsService",
            "Enable/disable automatic DRS on a cluster.",
            type: .boolean,
            defaultValue: "false"
        ),
        SettingDefinition(
            Name.drsAutomaticInterval,
            category: "Advanced",
            component: "ClusterDrsService",
            "The interval in minutes after which a periodic background thread will schedule DRS for a cluster.",
            type: .number(minimum: 1, maximum: 525_600),
            defaultValue: "60"
        ),
        SettingDefinition(
            Name.drsMaxMigrations,
            category: "Advanced",
            component: "ClusterDrsService",
            "Maximum number of live migrations in a DRS execution.",
            type: .number(minimum: 1, maximum: Self.integerMaximum),
            defaultValue: "50"
        ),
        SettingDefinition(
            Name.drsAlgorithm,
            category: "Advanced",
            component: "ClusterDrsService",
            "DRS algorithm to execute on the cluster. Possible values are condensed, balanced.",
            type: .select(["balanced", "condensed"]),
            defaultValue: "balanced"
        ),
        SettingDefinition(
            Name.drsImbalance,
            category: "Advanced",
            component: "ClusterDrsService",
            "Value of imbalance allowed in the cluster. 1.0 means no imbalance is allowed and 0.0 means full "
                + "imbalance is allowed",
            type: .range,
            defaultValue: "0.4"
        ),
        SettingDefinition(
            Name.drsMetric,
            category: "Advanced",
            component: "ClusterDrsService",
            "The cluster imbalance metric to use when checking the drs.imbalance.threshold. Possible values are "
                + "memory, cpu.",
            type: .select(["memory", "cpu"]),
            defaultValue: "memory"
        ),
        SettingDefinition(
            Name.drsMetricType,
            category: "Advanced",
            component: "ClusterDrsService",
            "The metric type used to calculate imbalance in a cluster. Possible values are free, used.",
            type: .select(["free", "used"]),
            defaultValue: "used"
        ),
        SettingDefinition(
            Name.drsMetricUseRatio,
            category: "Advanced",
            component: "ClusterDrsService",
            "Whether to use ratio of selected metric & total. Useful when the cluster has hosts with different "
                + "capacities",
            type: .boolean,
            defaultValue: "true"
        ),
    ]
}
