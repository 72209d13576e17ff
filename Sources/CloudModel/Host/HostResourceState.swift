/// A host's administrative state, spelled as CloudStack's `com.cloud.resource.ResourceState` spells it (the
/// `resourcestate` of `listHosts`).
public enum HostResourceState: String, Sendable, Hashable, Codable, CaseIterable {
    case creating = "Creating"
    case enabled = "Enabled"
    case disabled = "Disabled"
    case errorInPrepareForMaintenance = "ErrorInPrepareForMaintenance"
    case prepareForMaintenance = "PrepareForMaintenance"
    case errorInMaintenance = "ErrorInMaintenance"
    case maintenance = "Maintenance"
    /// An internal error; also what a stored state this version does not know reads as.
    case error = "Error"
    case degraded = "Degraded"
}
