import CloudModel
import CloudStore
import Foundation
import Logging

extension DrsService {
    /// CloudStack's async job status names, as a plan migration records them.
    public enum MigrationStatus {
        /// The migration job is running.
        public static let inProgress = "IN_PROGRESS"
        /// The VM now runs on the destination.
        public static let succeeded = "SUCCEEDED"
        /// The migration failed; the VM stays where it was.
        public static let failed = "FAILED"
    }

    /// Who owns the migration jobs a plan starts.
    public struct JobOwner: Sendable, Hashable {
        /// The account.
        public var accountId: String
        /// The user.
        public var userId: String

        /// Creates an owner.
        /// - Parameters:
        ///   - accountId: the account.
        ///   - userId: the user.
        public init(accountId: String, userId: String) {
            self.accountId = accountId
            self.userId = userId
        }
    }

    /// Stores a plan (status `READY`) for a cluster, refusing while another plan of the cluster is `READY` or
    /// `IN_PROGRESS`, as CloudStack does.
    /// - Parameters:
    ///   - clusterId: the cluster.
    ///   - moves: (VM, destination host) pairs, in order; each VM must be Running on a host of the cluster.
    ///   - type: manual or automated.
    /// - Returns: the stored plan and its migrations.
    /// - Throws: ``OrchestratorError`` 431.
    public func savePlan(
        clusterId: String,
        moves: [(vmId: String, destinationHostId: String)],
        type: ClusterDrsPlan.PlanType
    ) async throws(OrchestratorError) -> (plan: ClusterDrsPlan, migrations: [ClusterDrsPlanMigration]) {
        guard
            let cluster = try await self.virtualMachines.run({ try await self.store.get(Cluster.self, id: clusterId) })
        else {
            throw OrchestratorError(.invalidParameter, "cluster not found")
        }
        let open = try await self.virtualMachines.run {
            try await self.store.list(ClusterDrsPlan.self, ListQuery(equals: [("cluster_id", clusterId)])).items
        }
        if let busy = open.first(where: { $0.status == .ready || $0.status == .inProgress }) {
            let state = busy.status == .ready ? "READY state" : "In Progress"
            throw OrchestratorError(
                .invalidParameter,
                "Unable to execute DRS plan as there is already a plan [id=\(busy.id)] in \(state)"
            )
        }
        let planId = UUID().uuidString.lowercased()
        var migrations: [ClusterDrsPlanMigration] = []
        for (index, move) in moves.enumerated() {
            let vm = try await self.virtualMachines.load(move.vmId)
            guard let sourceId = vm.hostId, vm.state == .running else {
                throw OrchestratorError(.invalidParameter, "VM \(vm.name) is not Running on a host of the cluster")
            }
            let source = try await self.virtualMachines.run {
                try await self.store.get(CloudModel.Host.self, id: sourceId)
            }
            guard source?.clusterId == clusterId else {
                throw OrchestratorError(
                    .invalidParameter,
                    "VM \(vm.name) does not run in cluster \(cluster.name)"
                )
            }
            guard
                try await self.virtualMachines.run({
                    try await self.store.get(CloudModel.Host.self, id: move.destinationHostId)
                }) != nil
            else {
                throw OrchestratorError(
                    .invalidParameter,
                    "Unable to find the host to migrate the VM, host id=\(move.destinationHostId)"
                )
            }
            migrations.append(
                ClusterDrsPlanMigration(
                    id: UUID().uuidString.lowercased(),
                    planId: planId,
                    position: index,
                    vmId: vm.id,
                    sourceHostId: sourceId,
                    destinationHostId: move.destinationHostId
                )
            )
        }
        let eventId = await self.events.record(
            EventType.clusterDRS.rawValue,
            "Executing DRS plan for cluster \(cluster.name) (\(migrations.count) migrations)",
            resourceId: clusterId,
            resourceType: "Cluster"
        )
        let plan = ClusterDrsPlan(
            id: planId,
            clusterId: clusterId,
            type: type,
            status: .ready,
            eventId: eventId,
            created: self.clock.now
        )
        try await self.virtualMachines.run {
            try await self.store.insert(plan)
            try await self.store.insertAll(migrations)
        }
        return (plan, migrations)
    }

    /// Executes a stored plan: `IN_PROGRESS`, then each migration in order as its own async job (recorded in the
    /// job table and on the migration), then `COMPLETED`. A failed migration is recorded and the next one runs.
    /// - Parameters:
    ///   - planId: the plan.
    ///   - owner: the owner of the migration jobs; the system account when nil.
    ///   - render: each successful job's result JSON.
    /// - Returns: the plan and its migrations, with their outcomes.
    /// - Throws: ``OrchestratorError`` 431 for an unknown plan.
    @discardableResult
    public func execute(
        planId: String,
        owner: JobOwner? = nil,
        render: ResultRenderer? = nil
    ) async throws(OrchestratorError) -> (plan: ClusterDrsPlan, migrations: [ClusterDrsPlanMigration]) {
        guard
            var plan = try await self.virtualMachines.run({ try await self.store.get(ClusterDrsPlan.self, id: planId) })
        else {
            throw OrchestratorError(.invalidParameter, "Unable to find the DRS plan by id=\(planId)")
        }
        var migrations = try await self.virtualMachines.run {
            try await self.store.drsPlanMigrations(of: [planId])[planId] ?? []
        }
        let jobOwner: JobOwner
        if let owner {
            jobOwner = owner
        } else {
            let system = try await self.virtualMachines.run { try await self.events.systemAccountId() }
            jobOwner = JobOwner(accountId: system, userId: system)
        }
        try await self.virtualMachines.run { try await self.store.updateDrsPlan(id: planId, status: .inProgress) }
        for index in migrations.indices {
            let migration = migrations[index]
            let job = AsyncJob(
                id: UUID().uuidString.lowercased(),
                accountId: jobOwner.accountId,
                userId: jobOwner.userId,
                cmd: "org.apache.cloudstack.api.command.admin.vm.MigrateVMCmd",
                instanceType: "VirtualMachine",
                instanceId: migration.vmId,
                created: self.clock.now
            )
            try await self.virtualMachines.run {
                try await self.store.insert(job)
                try await self.store.updateDrsPlanMigration(
                    id: migration.id,
                    jobId: job.id,
                    status: MigrationStatus.inProgress
                )
            }
            let outcome: JobOutcome
            let status: String
            do throws(OrchestratorError) {
                let moved = try await self.virtualMachines.migrate(id: migration.vmId, to: migration.destinationHostId)
                let json = await render?(moved) ?? Self.minimalResult(moved)
                outcome = .success(json)
                status = MigrationStatus.succeeded
            } catch {
                outcome = .failure(code: Self.errorCode(error.kind), resultJSON: Self.errorResult(error))
                status = MigrationStatus.failed
                self.logger.info(
                    "DRS migration failed",
                    metadata: ["vm": "\(migration.vmId)", "error": "\(error.message)"]
                )
            }
            try? await self.store.completeJob(
                id: job.id,
                status: outcome.status,
                resultCode: outcome.resultCode,
                result: outcome.resultJSON
            )
            try? await self.store.updateDrsPlanMigration(id: migration.id, jobId: job.id, status: status)
            migrations[index].jobId = job.id
            migrations[index].status = status
        }
        try await self.virtualMachines.run { try await self.store.updateDrsPlan(id: planId, status: .completed) }
        plan.status = .completed
        let failed = migrations.filter { $0.status == MigrationStatus.failed }.count
        await self.events.record(
            EventType.clusterDRS.rawValue,
            "DRS execution task completed for cluster \(plan.clusterId): \(migrations.count - failed) migrated, "
                + "\(failed) failed",
            level: failed == 0 ? "INFO" : "WARN",
            resourceId: plan.clusterId,
            resourceType: "Cluster"
        )
        return (plan, migrations)
    }

    /// The leader's periodic run (every `drs.automatic.interval` minutes while `drs.automatic.enable` is true):
    /// for each cluster without a `READY` or `IN_PROGRESS` plan and without a plan made within the interval,
    /// plans with the `drs.*` settings and, when there is anything to move, stores the plan as `AUTOMATED` and
    /// executes it.
    /// - Returns: the executed plans (none when automatic DRS is disabled).
    /// - Throws: ``OrchestratorError`` when the settings or clusters cannot be read.
    @discardableResult
    public func runAutomatic() async throws(OrchestratorError) -> [ClusterDrsPlan] {
        let snapshot = try await self.virtualMachines.configuration.snapshot()
        guard snapshot.bool(GlobalSettings.Name.drsAutomaticEnable) == true else { return [] }
        let interval = Double(snapshot.int(GlobalSettings.Name.drsAutomaticInterval) ?? 60) * 60
        let clusters = try await self.virtualMachines.run { try await self.store.list(Cluster.self).items }
        let plans = try await self.virtualMachines.run { try await self.store.list(ClusterDrsPlan.self).items }
        let now = self.clock.now
        var executed: [ClusterDrsPlan] = []
        for cluster in clusters {
            let latest = plans.filter { $0.clusterId == cluster.id }.max { $0.created < $1.created }
            if let latest,
                latest.status == .ready || latest.status == .inProgress || now - latest.created < interval
            {
                continue
            }
            do throws(OrchestratorError) {
                let draft = try await self.generatePlan(clusterId: cluster.id, maxMigrations: nil, type: .automated)
                guard !draft.migrations.isEmpty else { continue }
                let (plan, _) = try await self.savePlan(
                    clusterId: cluster.id,
                    moves: draft.migrations.map { ($0.vmId, $0.destinationHostId) },
                    type: .automated
                )
                executed.append(try await self.execute(planId: plan.id).plan)
            } catch {
                self.logger.error(
                    "automatic DRS failed",
                    metadata: ["cluster": "\(cluster.id)", "error": "\(error.message)"]
                )
            }
        }
        return executed
    }

    /// Lists stored plans, newest first.
    /// - Parameters:
    ///   - id: one plan.
    ///   - clusterId: one cluster's plans.
    /// - Returns: the plans with their migrations.
    /// - Throws: ``OrchestratorError``.
    public func listPlans(
        id: String?,
        clusterId: String?
    ) async throws(OrchestratorError) -> [(plan: ClusterDrsPlan, migrations: [ClusterDrsPlanMigration])] {
        var equals: [(column: String, value: String)] = []
        if let id { equals.append(("id", id)) }
        if let clusterId { equals.append(("cluster_id", clusterId)) }
        let plans = try await self.virtualMachines.run {
            try await self.store.list(ClusterDrsPlan.self, ListQuery(equals: equals)).items.reversed()
        }
        let migrations = try await self.virtualMachines.run {
            try await self.store.drsPlanMigrations(of: plans.map(\.id))
        }
        return plans.map { ($0, migrations[$0.id] ?? []) }
    }

    static func minimalResult(_ vm: VirtualMachine) -> String {
        let object: [String: Any] = [
            "virtualmachine": ["id": vm.id, "name": vm.name, "hostid": vm.hostId ?? "", "state": vm.state.rawValue]
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// CloudStack's errorcode for an error family (the API's table, for jobs run outside a command).
    static func errorCode(_ kind: OrchestratorError.Kind) -> Int {
        switch kind {
        case .invalidParameter: 431
        case .permissionDenied: 531
        case .insufficientCapacity: 533
        case .resourceInUse: 536
        case .resourceUnavailable: 534
        case .internalError: 530
        case .resourceAllocation: 535
        }
    }

    static func errorResult(_ error: OrchestratorError) -> String {
        let object: [String: Any] = ["errorcode": Self.errorCode(error.kind), "errortext": error.message]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
