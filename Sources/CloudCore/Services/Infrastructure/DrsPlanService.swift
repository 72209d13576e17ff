import CloudModel
import CloudStore
import Orchestrator

/// generateClusterDrsPlan, executeClusterDrsPlan and listClusterDrsPlan over ``DrsService``: the checks of the
/// requests, and the names plan responses show.
public struct DrsPlanService: Sendable {
    let services: CloudServices
    var store: CloudStore { self.services.store }

    /// A plan with its migrations.
    public typealias Plan = (plan: ClusterDrsPlan, migrations: [ClusterDrsPlanMigration])

    /// One `migrateto` entry of executeClusterDrsPlan, as given.
    public struct Move: Sendable {
        /// The VM's UUID, nil when the entry has none.
        public var vmId: String?
        /// The destination host's UUID, nil when the entry has none.
        public var hostId: String?
        /// The entry as the client wrote it, for the error text.
        public var text: String

        /// Creates a move.
        public init(vmId: String?, hostId: String?, text: String) {
            self.vmId = vmId
            self.hostId = hostId
            self.text = text
        }
    }

    /// The names of the VMs and hosts of plans' migrations.
    public struct Names: Sendable {
        /// VM UUID → name.
        public var vms: [String: String]
        /// Host UUID → name.
        public var hosts: [String: String]
    }

    /// Generates (without saving) a plan for a cluster.
    /// - Parameters:
    ///   - access: the caller's access.
    ///   - clusterId: the cluster's UUID (parameter `id`).
    ///   - maxMigrations: at most this many migrations; nil for the cluster's `drs.max.migrations`.
    /// - Throws: 431 for an unknown cluster; ``DrsService`` errors.
    public func generate(_ access: Access, clusterId: String, maxMigrations: Int?) async throws -> Plan {
        let cluster = try await self.services.infrastructure.cluster(access, id: clusterId, parameter: "id")
        let draft = try await self.services.drs.generatePlan(clusterId: cluster.id, maxMigrations: maxMigrations)
        return (draft.plan, draft.migrations)
    }

    /// Saves the manual plan executeClusterDrsPlan runs: the given moves, or without any the plan
    /// ``generate(_:clusterId:maxMigrations:)`` would return now.
    /// - Throws: 431 for an unknown cluster, or a move without a VM or host or naming an unknown one.
    public func prepareExecution(
        _ access: Access,
        clusterId: String,
        moves requested: [Move]
    ) async throws -> (cluster: Cluster, plan: ClusterDrsPlan) {
        let cluster = try await self.services.infrastructure.cluster(access, id: clusterId, parameter: "id")
        var moves: [(vmId: String, destinationHostId: String)] = []
        for entry in requested {
            guard let vmId = entry.vmId, let hostId = entry.hostId else {
                throw CloudError.invalidParameter(access.command, "migrateto", entry.text)
            }
            guard try await self.store.get(VirtualMachine.self, id: vmId) != nil else {
                throw CloudError.invalidParameter(access.command, "migrateto", vmId)
            }
            guard try await self.store.get(CloudModel.Host.self, id: hostId) != nil else {
                throw CloudError.invalidParameter(access.command, "migrateto", hostId)
            }
            moves.append((vmId, hostId))
        }
        if moves.isEmpty {
            let draft = try await self.services.drs.generatePlan(clusterId: cluster.id, maxMigrations: nil)
            moves = draft.migrations.map { ($0.vmId, $0.destinationHostId) }
        }
        let (plan, _) = try await self.services.drs.savePlan(clusterId: cluster.id, moves: moves, type: .manual)
        return (cluster, plan)
    }

    /// Executes a saved plan, its migrations' jobs owned by the caller.
    /// - Parameters:
    ///   - access: the caller's access.
    ///   - planId: the plan's UUID.
    ///   - render: renders a migrated VM as its job's result.
    /// - Throws: ``DrsService`` errors.
    public func execute(
        _ access: Access,
        planId: String,
        render: DrsService.ResultRenderer?
    ) async throws -> Plan {
        let owner = DrsService.JobOwner(accountId: access.caller.account.id, userId: access.caller.user.id)
        return try await self.services.drs.execute(planId: planId, owner: owner, render: render)
    }

    /// Plans by UUID or cluster (listClusterDrsPlan), paged.
    /// - Parameters:
    ///   - access: the caller's access.
    ///   - request: paging, and the plan's UUID (`id`).
    ///   - clusterId: the cluster's UUID.
    /// - Throws: 431 for both a plan and a cluster, an unknown cluster, or bad paging.
    public func list(_ access: Access, _ request: ListRequest, clusterId: String?) async throws -> ListPage<Plan> {
        if request.id != nil && clusterId != nil {
            throw CloudError(.paramError, csErrorCode: 4350, "Only one of clusterId or planId can be specified")
        }
        if let clusterId, try await self.store.get(Cluster.self, id: clusterId) == nil {
            throw CloudError(.paramError, csErrorCode: 4350, "Unable to find the cluster by id=\(clusterId)")
        }
        _ = try access.query(request)
        let plans = try await self.services.drs.listPlans(id: request.id, clusterId: clusterId)
        return try access.pageInMemory(plans, request)
    }

    /// The names of the VMs and hosts of `plans`' migrations (two queries).
    /// - Throws: ``StoreError``.
    public func names(of plans: [Plan]) async throws -> Names {
        let migrations = plans.flatMap(\.migrations)
        let vmIds = Array(Set(migrations.map(\.vmId)))
        let hostIds = Array(Set(migrations.flatMap { [$0.sourceHostId, $0.destinationHostId] }))
        let vms = vmIds.isEmpty ? [] : try await self.store.list(VirtualMachine.self, ListQuery(idIn: vmIds)).items
        let hosts =
            hostIds.isEmpty ? [] : try await self.store.list(CloudModel.Host.self, ListQuery(idIn: hostIds)).items
        return Names(
            vms: Dictionary(vms.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a }),
            hosts: Dictionary(hosts.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        )
    }
}

extension CloudServices {
    /// Cluster DRS plans as the API asks for them.
    public var drsPlans: DrsPlanService { DrsPlanService(services: self) }
}
