/// The agent commands of the protocol, named as CloudStack's agent `Command` classes.
public enum AgentCommand: String, Codable, Sendable, CaseIterable {
    /// Liveness and identity check (CloudStack's `ReadyCommand` / `PingCommand`).
    case ready = "ReadyCommand"
    /// Create and boot a VM.
    case start = "StartCommand"
    /// Stop (power off) a VM.
    case stop = "StopCommand"
    /// Reboot a VM.
    case reboot = "RebootCommand"
    /// Prepare the destination host to receive a live migration.
    case prepareForMigration = "PrepareForMigrationCommand"
    /// Live-migrate a VM away from the source host (sent to the source).
    case migrate = "MigrateCommand"
    /// Resize a running VM.
    case scale = "ScaleVmCommand"
    /// List the VMs the host runs (CloudStack's `GetVmStatesCommand` / the ping's VM report).
    case getVmStates = "GetVmStatesCommand"
}

/// A VM as the agent sees it.
public struct AgentVm: Codable, Hashable, Sendable {
    /// The VM's id.
    public var id: String
    /// The instance name.
    public var name: String
    /// vCPUs.
    public var cpuNumber: Int
    /// MHz per vCPU.
    public var cpuSpeed: Int
    /// Memory in MiB.
    public var memory: Int
    /// `Running` (the agent keeps only the VMs it runs).
    public var state: String

    /// Makes a value.
    public init(id: String, name: String, cpuNumber: Int, cpuSpeed: Int, memory: Int, state: String = "Running") {
        self.id = id
        self.name = name
        self.cpuNumber = cpuNumber
        self.cpuSpeed = cpuSpeed
        self.memory = memory
        self.state = state
    }
}

/// A command's arguments.
public struct AgentCommandBody: Codable, Hashable, Sendable {
    /// The host the command is for (an agent may serve several).
    public var hostId: String
    /// The VM concerned (absent for host-level commands).
    public var vm: AgentVm?
    /// For `StopCommand`: power off without a clean shutdown.
    public var forced: Bool?
    /// For `MigrateCommand`: the destination host.
    public var destinationHostId: String?

    /// Makes a value.
    public init(hostId: String, vm: AgentVm? = nil, forced: Bool? = nil, destinationHostId: String? = nil) {
        self.hostId = hostId
        self.vm = vm
        self.forced = forced
        self.destinationHostId = destinationHostId
    }
}

/// A request frame: `{seq, command, body}`. `command` stays a string on the wire so an agent answers an unknown
/// command with a failed answer instead of closing the connection.
public struct AgentRequest: Codable, Hashable, Sendable {
    /// The sequence number the answer carries back (requests are pipelined on one connection).
    public var seq: UInt64
    /// The command's name, e.g. `StartCommand`.
    public var command: String
    /// The arguments.
    public var body: AgentCommandBody

    /// Makes a request.
    public init(seq: UInt64, command: AgentCommand, body: AgentCommandBody) {
        self.seq = seq
        self.command = command.rawValue
        self.body = body
    }

    /// Makes a request with any command name (tests of unknown commands).
    public init(seq: UInt64, commandName: String, body: AgentCommandBody) {
        self.seq = seq
        self.command = commandName
        self.body = body
    }
}

/// An answer frame: `{seq, result, details}` (CloudStack's `Answer`), plus the VM list of `GetVmStatesCommand`.
public struct AgentAnswer: Codable, Hashable, Sendable {
    /// The request's sequence number.
    public var seq: UInt64
    /// Whether the command succeeded.
    public var result: Bool
    /// What happened, or why it failed.
    public var details: String
    /// The host's VMs (for `GetVmStatesCommand`).
    public var vms: [AgentVm]?

    /// Makes an answer.
    public init(seq: UInt64, result: Bool, details: String, vms: [AgentVm]? = nil) {
        self.seq = seq
        self.result = result
        self.details = details
        self.vms = vms
    }
}
