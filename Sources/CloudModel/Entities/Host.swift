/// A hypervisor host with its capacity and the running totals reserved on it.
public struct Host: Sendable, Hashable, Codable {
    /// UUID.
    public var id: String
    /// Display name.
    public var name: String
    /// Zone UUID.
    public var zoneId: String
    /// Pod UUID.
    public var podId: String
    /// Cluster UUID.
    public var clusterId: String
    /// Management address.
    public var ipAddress: String
    /// Hypervisor type.
    public var hypervisor: String
    /// CPU cores.
    public var cpuNumber: Int
    /// MHz per core.
    public var cpuSpeed: Int
    /// Memory in bytes.
    public var memory: Int
    /// MHz reserved by VMs.
    public var cpuUsed: Int
    /// Bytes reserved by VMs.
    public var memUsed: Int
    /// CPU overprovisioning factor.
    public var cpuOverprovisioning: Double
    /// Memory overprovisioning factor.
    public var memOverprovisioning: Double
    /// The connection status as stored (`Up`, `Down`, ...); compare ``status`` instead.
    public var state: String
    /// The administrative state as stored (`Enabled`, `Disabled`, `Maintenance`, ...); compare ``resourceStatus``
    /// instead.
    public var resourceState: String
    /// Comma-separated host tags.
    public var hostTags: String
    /// Compare-and-set version of the capacity columns.
    public var version: Int
    /// Where the host's agent serves the agent protocol (`ADDR:PORT`), for hosts registered by an agent; nil for
    /// hosts driven by the in-process simulator (e.g. added through `addHost`).
    public var agentAddress: String?
    /// How a real host runs guests (`kvm` or `tcg`, as its agent registered); nil for a simulated host.
    public var accelerator: String?

    /// Creates a host.
    public init(
        id: String,
        name: String,
        zoneId: String,
        podId: String,
        clusterId: String,
        ipAddress: String,
        hypervisor: String,
        cpuNumber: Int,
        cpuSpeed: Int,
        memory: Int,
        cpuUsed: Int = 0,
        memUsed: Int = 0,
        cpuOverprovisioning: Double = 1,
        memOverprovisioning: Double = 1,
        state: String = HostStatus.up.rawValue,
        resourceState: String = HostResourceState.enabled.rawValue,
        hostTags: String = "",
        version: Int = 0,
        agentAddress: String? = nil,
        accelerator: String? = nil
    ) {
        self.id = id
        self.name = name
        self.zoneId = zoneId
        self.podId = podId
        self.clusterId = clusterId
        self.ipAddress = ipAddress
        self.hypervisor = hypervisor
        self.cpuNumber = cpuNumber
        self.cpuSpeed = cpuSpeed
        self.memory = memory
        self.cpuUsed = cpuUsed
        self.memUsed = memUsed
        self.cpuOverprovisioning = cpuOverprovisioning
        self.memOverprovisioning = memOverprovisioning
        self.state = state
        self.resourceState = resourceState
        self.hostTags = hostTags
        self.version = version
        self.agentAddress = agentAddress
        self.accelerator = accelerator
    }

    /// The connection status, typed: ``HostStatus/unknown`` for a stored status this version does not know.
    public var status: HostStatus {
        get { HostStatus(rawValue: self.state) ?? .unknown }
        set { self.state = newValue.rawValue }
    }

    /// The administrative state, typed: ``HostResourceState/error`` for a stored state this version does not know.
    public var resourceStatus: HostResourceState {
        get { HostResourceState(rawValue: self.resourceState) ?? .error }
        set { self.resourceState = newValue.rawValue }
    }

    /// Total CPU in MHz (cores × speed), before overprovisioning.
    public var cpuTotal: Int { self.cpuNumber.saturatingMultiplied(by: self.cpuSpeed) }
}
