import CloudModel

/// The stand-in placement step: hosts that are Up and Enabled in the zone with room for the demand, first fit.
///
/// The real deployment planner and allocators live in `CloudModel/Placement` (another owner); swap this one
/// function for `DeploymentPlanner.plan(...)` when it lands.
public enum HostSelection {
    /// Orders candidate hosts for a VM.
    /// - Parameters:
    ///   - hosts: the zone's hosts.
    ///   - cpu: MHz needed.
    ///   - memory: bytes needed.
    /// - Returns: hosts to try, in order; the CAS reservation decides.
    public static func candidates(_ hosts: [Host], cpu: Int, memory: Int) -> [Host] {
        hosts.filter { host in
            host.state == "Up" && host.resourceState == "Enabled"
                && Double(host.cpuUsed + cpu) <= Double(host.cpuTotal) * host.cpuOverprovisioning
                && Double(host.memUsed + memory) <= Double(host.memory) * host.memOverprovisioning
        }
    }
}
