import CloudModel
import CloudStore
import Foundation

/// Recurring snapshot schedules (CloudStack's `SnapshotPolicy`): create (one per volume and interval), list and
/// delete. ZooStack stores and lists the schedules; it does not run them on a timer.
public struct SnapshotPolicyService: Sendable {
    let services: CloudServices
    var store: CloudStore { self.services.store }

    /// What createSnapshotPolicy asks for.
    public struct CreateRequest: Sendable {
        /// The volume.
        public var volumeId: String
        /// HOURLY, DAILY, WEEKLY or MONTHLY (any case).
        public var intervalType: String
        /// The schedule (``SnapshotSchedule``'s formats).
        public var schedule: String
        /// A time zone identifier.
        public var timezone: String
        /// How many snapshots to keep; nil when not a number.
        public var maxSnaps: Int?

        /// Creates a request.
        public init(volumeId: String, intervalType: String, schedule: String, timezone: String, maxSnaps: Int?) {
            self.volumeId = volumeId
            self.intervalType = intervalType
            self.schedule = schedule
            self.timezone = timezone
            self.maxSnaps = maxSnaps
        }
    }

    /// Creates the volume's policy of an interval, or updates it when the volume has one (as CloudStack does).
    /// - Returns: the policy.
    /// - Throws: 431 for a bad interval, schedule, time zone or count; ``Access`` errors.
    public func create(_ access: Access, _ request: CreateRequest) async throws -> SnapshotPolicy {
        let volume = try await access.volume(id: request.volumeId, parameter: "volumeid")
        guard let interval = SnapshotSchedule.interval(request.intervalType) else {
            throw CloudError(.paramError, csErrorCode: 4350, "Unsupported interval type \(request.intervalType)")
        }
        guard SnapshotSchedule.isValid(request.schedule, for: interval) else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Invalid schedule: \(request.schedule) for interval type: \(interval)"
            )
        }
        guard TimeZone(identifier: request.timezone) != nil else {
            throw CloudError.invalidParameter(access.command, "timezone", request.timezone)
        }
        guard let maxSnaps = request.maxSnaps, maxSnaps > 0 else {
            throw CloudError(.paramError, csErrorCode: 4350, "maxSnaps should be greater than 0")
        }
        let store = self.store
        let existing = try await store.list(
            SnapshotPolicy.self,
            ListQuery(equals: [("volume_id", volume.id), ("interval_type", interval)])
        ).items.first
        // CloudStack updates the volume's policy of the same interval instead of adding a second one.
        let policy = SnapshotPolicy(
            id: existing?.id ?? UUID().uuidString.lowercased(),
            volumeId: volume.id,
            accountId: volume.accountId ?? access.caller.account.id,
            intervalType: interval,
            schedule: request.schedule,
            timezone: request.timezone,
            maxSnaps: maxSnaps,
            created: existing?.created ?? self.services.clock.now
        )
        if existing == nil {
            try await store.insert(policy)
        } else {
            try await store.replace(policy, id: policy.id)
        }
        return policy
    }

    /// The policies of a volume of the caller's reach (or the one asked by `id`); the caller's own unless root
    /// admin.
    /// - Throws: 431 without a volume or an id, or for bad paging; ``Access`` errors.
    public func list(
        _ access: Access,
        _ request: ListRequest,
        volumeId: String?
    ) async throws -> ListPage<SnapshotPolicy> {
        var equals: [(column: String, value: String)] = []
        if let volumeId {
            _ = try await access.volume(id: volumeId, parameter: "volumeid")
            equals.append(("volume_id", volumeId))
        } else if request.id == nil {
            throw CloudError(.paramError, csErrorCode: 4350, "Either volume Id or policy Id has to be specified.")
        }
        var query = try access.query(request, equals)
        if access.caller.role != .rootAdmin { query.equals.append(("account_id", access.caller.account.id)) }
        return try await self.store.list(SnapshotPolicy.self, query)
    }

    /// Deletes policies, all of them in the caller's reach.
    /// - Throws: 431 without ids or for an unknown one, 531 for one out of reach (nothing is deleted then).
    public func delete(_ access: Access, ids: [String]) async throws {
        guard !ids.isEmpty else {
            throw CloudError(.paramError, csErrorCode: 4350, "Either policy id or policy ids have to be specified.")
        }
        let store = self.store
        for id in ids {
            guard let policy = try await store.get(SnapshotPolicy.self, id: id) else {
                throw CloudError(.paramError, csErrorCode: 4350, "Policy id given: \(id) does not exist")
            }
            guard try await access.mayAccess(accountId: policy.accountId) else {
                throw Access.permissionDenied(
                    "Account \(access.caller.account.name) does not have permission to operate on policy \(id)"
                )
            }
        }
        try await store.deleteSnapshotPolicies(ids)
    }
}

extension CloudServices {
    /// Recurring snapshot schedules.
    public var snapshotPolicies: SnapshotPolicyService { SnapshotPolicyService(services: self) }
}
