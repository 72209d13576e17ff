/// The planner's answer: the hosts to try, best first.
///
/// The orchestrator reserves capacity on the first host with a compare-and-set and moves down the list when the
/// reservation conflicts (another deployment took the capacity meanwhile).
public struct PlacementResult: Sendable, Hashable {
    /// Every suitable host, in the order to try them; never empty.
    public var hosts: [HostCandidate]
    /// Clusters skipped because they would cross a capacity disable threshold; a retry may add them to its avoid
    /// set, as CloudStack's `removeClustersCrossingThreshold` adds them to the `ExcludeList`.
    public var clustersCrossingThreshold: [String]

    /// Creates a result.
    /// - Parameters:
    ///   - hosts: the hosts to try, in order.
    ///   - clustersCrossingThreshold: clusters skipped by the disable thresholds.
    public init(hosts: [HostCandidate], clustersCrossingThreshold: [String] = []) {
        self.hosts = hosts
        self.clustersCrossingThreshold = clustersCrossingThreshold
    }

    /// The ids of `hosts`, in order.
    public var hostIds: [String] {
        self.hosts.map(\.id)
    }
}
