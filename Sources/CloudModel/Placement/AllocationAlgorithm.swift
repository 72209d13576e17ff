/// `vm.allocation.algorithm`: how the planner orders clusters and the hosts inside each cluster.
///
/// The names are CloudStack's (DeploymentClusterPlanner.VmAllocationAlgorithm); CloudStack's default is `random`.
public enum AllocationAlgorithm: String, Sendable, Hashable, CaseIterable {
    /// Clusters by capacity; hosts shuffled (FirstFitAllocator: `Collections.shuffle`).
    case random
    /// Clusters by capacity; hosts in the order given (the database's order).
    case firstfit
    /// Clusters by fewest VMs of the account (UserDispersingPlanner); hosts by fewest VMs of the account.
    case userdispersing
    /// Clusters of the pods holding most of the account's VMs first (UserConcentratedPodPlanner); hosts shuffled.
    case userconcentratedpodRandom = "userconcentratedpod_random"
    /// Clusters of the pods holding most of the account's VMs first; hosts in the order given.
    case userconcentratedpodFirstfit = "userconcentratedpod_firstfit"
    /// Clusters by capacity; hosts by most free capacity first (`host.capacityType.to.order.clusters`).
    case firstfitleastconsumed
}
