/// The states of a virtual machine, spelled as CloudStack's `VirtualMachine.State` spells them.
public enum VirtualMachineState: String, Sendable, Hashable, Codable, CaseIterable {
    case starting = "Starting"
    case running = "Running"
    case stopping = "Stopping"
    case stopped = "Stopped"
    case destroyed = "Destroyed"
    case expunging = "Expunging"
    case migrating = "Migrating"
    case error = "Error"
    case unknown = "Unknown"
    case shutdown = "Shutdown"

    /// Whether the state is one CloudStack calls transitional (an operation is under way).
    public var isTransitional: Bool {
        switch self {
        case .starting, .stopping, .expunging, .migrating: true
        case .running, .stopped, .destroyed, .error, .unknown, .shutdown: false
        }
    }

    /// Whether a VM in this state holds CPU and memory on its host.
    public var holdsCapacity: Bool {
        switch self {
        case .starting, .running, .stopping, .migrating: true
        case .stopped, .destroyed, .expunging, .error, .unknown, .shutdown: false
        }
    }
}
