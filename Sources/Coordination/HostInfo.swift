/// A hypervisor host as its agent registers it: the JSON of its ephemeral `/hosts/BUCKET/HOSTID` node.
public struct HostInfo: Hashable, Sendable, Codable {
    /// The host's id (the node's name).
    public var id: String
    /// The host's name.
    public var name: String
    /// Where the agent is reached.
    public var address: String
    /// CPU cores.
    public var cpuCores: Int
    /// CPU speed per core, in MHz.
    public var cpuSpeedMHz: Int
    /// Memory, in bytes.
    public var memoryBytes: Int64
    /// The zone the host belongs to, if known.
    public var zoneId: String?
    /// The pod, if known.
    public var podId: String?
    /// The cluster, if known.
    public var clusterId: String?
    /// The hypervisor type, e.g. `Simulator`.
    public var hypervisor: String
    /// The agent's version.
    public var version: String
    /// How a real host runs guests (`kvm` or `tcg`); nil for a simulator.
    public var accelerator: String?

    /// Makes a value.
    /// - Parameters:
    ///   - id: the id.
    ///   - name: the name (defaults to the id).
    ///   - address: the agent's address.
    ///   - cpuCores: CPU cores.
    ///   - cpuSpeedMHz: MHz per core.
    ///   - memoryBytes: memory in bytes.
    ///   - zoneId: the zone.
    ///   - podId: the pod.
    ///   - clusterId: the cluster.
    ///   - hypervisor: the hypervisor type.
    ///   - version: the agent's version.
    ///   - accelerator: `kvm` or `tcg` for a real host.
    public init(
        id: String,
        name: String? = nil,
        address: String,
        cpuCores: Int,
        cpuSpeedMHz: Int,
        memoryBytes: Int64,
        zoneId: String? = nil,
        podId: String? = nil,
        clusterId: String? = nil,
        hypervisor: String = "Simulator",
        version: String = "",
        accelerator: String? = nil
    ) {
        self.id = id
        self.name = name ?? id
        self.address = address
        self.cpuCores = cpuCores
        self.cpuSpeedMHz = cpuSpeedMHz
        self.memoryBytes = memoryBytes
        self.zoneId = zoneId
        self.podId = podId
        self.clusterId = clusterId
        self.hypervisor = hypervisor
        self.version = version
        self.accelerator = accelerator
    }
}

/// A change in the set of live hosts.
public enum HostEvent: Hashable, Sendable {
    /// A host registered (or its registration changed).
    case appeared(HostInfo)
    /// A host's node went away (its agent stopped or lost its session).
    case disappeared(String)
}
