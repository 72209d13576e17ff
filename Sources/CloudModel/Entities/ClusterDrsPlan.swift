/// A stored cluster DRS plan (CloudStack's `cluster_drs_plan`).
public struct ClusterDrsPlan: Sendable, Hashable, Codable {
    /// `MANUAL` (executeClusterDrsPlan) or `AUTOMATED` (the leader's periodic run).
    public enum PlanType: String, Sendable, Hashable, Codable {
        /// Asked for by an operator.
        case manual = "MANUAL"
        /// Made by the periodic run.
        case automated = "AUTOMATED"
    }

    /// A plan's progress.
    public enum Status: String, Sendable, Hashable, Codable {
        /// Generated, not stored (generateClusterDrsPlan).
        case underReview = "UNDER_REVIEW"
        /// Stored, not started.
        case ready = "READY"
        /// Migrations under way.
        case inProgress = "IN_PROGRESS"
        /// Every migration finished (each with its own outcome).
        case completed = "COMPLETED"
    }

    /// UUID.
    public var id: String
    /// The cluster.
    public var clusterId: String
    /// Manual or automated.
    public var type: PlanType
    /// Progress.
    public var status: Status
    /// The event recording the run.
    public var eventId: String?
    /// Seconds since 1970.
    public var created: Double

    /// Creates a plan.
    /// - Parameters:
    ///   - id: UUID.
    ///   - clusterId: the cluster.
    ///   - type: manual or automated.
    ///   - status: progress.
    ///   - eventId: the event.
    ///   - created: when.
    public init(id: String, clusterId: String, type: PlanType, status: Status, eventId: String?, created: Double) {
        self.id = id
        self.clusterId = clusterId
        self.type = type
        self.status = status
        self.eventId = eventId
        self.created = created
    }
}

/// One migration of a stored DRS plan (CloudStack's `cluster_drs_plan_migration`).
public struct ClusterDrsPlanMigration: Sendable, Hashable, Codable {
    /// UUID.
    public var id: String
    /// The plan.
    public var planId: String
    /// Its place in the plan, from 0.
    public var position: Int
    /// The VM.
    public var vmId: String
    /// Where it ran.
    public var sourceHostId: String
    /// Where it goes.
    public var destinationHostId: String
    /// The migration's async job, once started.
    public var jobId: String?
    /// The job's status as CloudStack names it (`IN_PROGRESS`, `SUCCEEDED`, `FAILED`), once started.
    public var status: String?

    /// Creates a migration.
    /// - Parameters:
    ///   - id: UUID.
    ///   - planId: the plan.
    ///   - position: its order.
    ///   - vmId: the VM.
    ///   - sourceHostId: where it runs.
    ///   - destinationHostId: where it goes.
    ///   - jobId: its job.
    ///   - status: its job's status.
    public init(
        id: String,
        planId: String,
        position: Int,
        vmId: String,
        sourceHostId: String,
        destinationHostId: String,
        jobId: String? = nil,
        status: String? = nil
    ) {
        self.id = id
        self.planId = planId
        self.position = position
        self.vmId = vmId
        self.sourceHostId = sourceHostId
        self.destinationHostId = destinationHostId
        self.jobId = jobId
        self.status = status
    }
}
