/// A host's connection status, spelled as CloudStack's `com.cloud.host.Status` spells it (the `state` of
/// `listHosts`).
public enum HostStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case creating = "Creating"
    case connecting = "Connecting"
    case up = "Up"
    case down = "Down"
    case disconnected = "Disconnected"
    case alert = "Alert"
    case removed = "Removed"
    case error = "Error"
    case rebalancing = "Rebalancing"
    /// No status recorded (CloudStack's `null` status), or one this version does not know.
    case unknown = "Unknown"

    /// Whether the host's agent is gone and the host waits for it to come back or to be declared dead
    /// (CloudStack's `checkManagementServer`): Down, Disconnected and Alert.
    public var isAwaitingAgent: Bool {
        switch self {
        case .down, .disconnected, .alert: true
        case .creating, .connecting, .up, .removed, .error, .rebalancing, .unknown: false
        }
    }
}
