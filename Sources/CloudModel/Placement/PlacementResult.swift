/// The planner's answer: the hosts to try, best first, as a collection of `HostCandidate`.
///
/// The orchestrator reserves capacity on the first host with a compare-and-set and moves down the list when the
/// reservation conflicts (another deployment took the capacity meanwhile). The result shares the planner's input
/// array and holds only the order, so planning over thousands of hosts copies none of them.
public struct PlacementResult: Sendable, Equatable, RandomAccessCollection {
    /// The hosts the planner was given (shared, not copied).
    private let candidates: [HostCandidate]
    /// Positions in `candidates`, in the order to try them.
    private let order: [Int]
    /// Clusters skipped because they would cross a capacity disable threshold; a retry may add them to its avoid
    /// set, as CloudStack's `removeClustersCrossingThreshold` adds them to the `ExcludeList`.
    public let clustersCrossingThreshold: [String]

    /// Creates a result from hosts already in order.
    /// - Parameters:
    ///   - hosts: the hosts to try, in order.
    ///   - clustersCrossingThreshold: clusters skipped by the disable thresholds.
    public init(hosts: [HostCandidate], clustersCrossingThreshold: [String] = []) {
        self.init(candidates: hosts, order: Array(hosts.indices), clustersCrossingThreshold: clustersCrossingThreshold)
    }

    init(candidates: [HostCandidate], order: [Int], clustersCrossingThreshold: [String]) {
        self.candidates = candidates
        self.order = order
        self.clustersCrossingThreshold = clustersCrossingThreshold
    }

    /// The first position, 0.
    public var startIndex: Int { 0 }
    /// One past the last position: the number of hosts.
    public var endIndex: Int { self.order.count }

    /// The host at a position of the order.
    /// - Parameter position: 0 for the host to try first.
    public subscript(position: Int) -> HostCandidate {
        self.candidates[self.order[position]]
    }

    /// The hosts to try, in order, as an array (copies them; prefer iterating the result).
    public var hosts: [HostCandidate] {
        Array(self)
    }

    /// The positions of the hosts to try, in order, in the array the result was built over: the `hosts` given to
    /// `DeploymentPlanner.plan` (for an explicit host, the one-element array of that host). Lets a caller holding
    /// rows in the same order as the candidates map the result back without hashing ids.
    public var candidatePositions: [Int] {
        self.order
    }

    /// The ids of the hosts, in order.
    public var hostIds: [String] {
        self.map(\.id)
    }

    /// Equal when the same hosts come in the same order and the same clusters crossed the thresholds.
    public static func == (lhs: PlacementResult, rhs: PlacementResult) -> Bool {
        lhs.elementsEqual(rhs) && lhs.clustersCrossingThreshold == rhs.clustersCrossingThreshold
    }
}
