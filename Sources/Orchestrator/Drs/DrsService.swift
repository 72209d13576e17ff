import CloudModel
import CloudStore
import Foundation
import Logging
import Synchronization

/// Cluster DRS (CloudStack's ClusterDrsService): measures a cluster's imbalance, plans live migrations with
/// ``DrsPlanner``, stores and executes plans through ``VirtualMachineService/migrate(id:to:)``, and runs
/// automatically when the leader calls ``runAutomatic()``.
public final class DrsService: Sendable {
    /// Returns, for a cluster, the groups of VM ids that must not share a host (host anti-affinity groups).
    public typealias AntiAffinityGroups = @Sendable (_ clusterId: String) async throws -> [[String]]
    /// Renders a migrated VM as a migration job's result JSON.
    public typealias ResultRenderer = @Sendable (_ vm: VirtualMachine) async -> String

    let store: CloudStore
    let virtualMachines: VirtualMachineService
    let events: EventLog
    let logger: Logger
    let clock: WallClock
    private let antiAffinity: Mutex<AntiAffinityGroups>

    /// Creates the service.
    /// - Parameters:
    ///   - store: the store.
    ///   - virtualMachines: the VM service (migrations and settings).
    ///   - events: the event log.
    ///   - logger: a logger.
    ///   - antiAffinityGroups: the cluster's anti-affinity groups; none by default.
    public init(
        store: CloudStore,
        virtualMachines: VirtualMachineService,
        events: EventLog,
        logger: Logger,
        antiAffinityGroups: @escaping AntiAffinityGroups = { _ in [] }
    ) {
        self.store = store
        self.virtualMachines = virtualMachines
        self.events = events
        self.logger = logger
        self.clock = store.clock
        self.antiAffinity = Mutex(antiAffinityGroups)
    }

    /// Connects the source of anti-affinity groups (the affinity-group service, once it exists).
    /// - Parameter provider: cluster id → groups of VM ids that must not share a host.
    public func setAntiAffinityGroups(_ provider: @escaping AntiAffinityGroups) {
        self.antiAffinity.withLock { $0 = provider }
    }

    /// The DRS settings now (`drs.*`).
    /// - Returns: the settings.
    /// - Throws: ``OrchestratorError`` when the settings cannot be read.
    public func settings() async throws(OrchestratorError) -> DrsSettings {
        let snapshot = try await self.virtualMachines.configuration.snapshot()
        return DrsSettings(
            algorithm: snapshot.value(GlobalSettings.Name.drsAlgorithm).flatMap {
                DrsAlgorithm(rawValue: $0.lowercased())
            }
                ?? .balanced,
            metric: snapshot.value(GlobalSettings.Name.drsMetric).flatMap { DrsMetric(rawValue: $0.lowercased()) }
                ?? .memory,
            metricType: snapshot.value(GlobalSettings.Name.drsMetricType).flatMap {
                DrsMetricType(rawValue: $0.lowercased())
            } ?? .used,
            useRatio: snapshot.bool(GlobalSettings.Name.drsMetricUseRatio) ?? true,
            imbalanceThreshold: snapshot.double(GlobalSettings.Name.drsImbalance) ?? 0.4,
            maxMigrations: snapshot.int(GlobalSettings.Name.drsMaxMigrations) ?? 50
        )
    }

    /// A cluster as DRS sees it: its Up and Enabled hosts and the Running VMs on them (each limited to the hosts
    /// carrying its offering's host tags).
    /// - Parameter clusterId: the cluster.
    /// - Returns: the DRS state, the host rows and the VM rows.
    /// - Throws: ``OrchestratorError``.
    public func clusterState(
        _ clusterId: String
    ) async throws(OrchestratorError) -> (state: DrsClusterState, hosts: [CloudModel.Host], vms: [VirtualMachine]) {
        let hosts = try await self.virtualMachines.run {
            try await self.store.list(CloudModel.Host.self, ListQuery(equals: [("cluster_id", clusterId)])).items
                .filter { $0.status == .up && $0.resourceStatus == .enabled }
        }
        let vms = try await self.virtualMachines.run {
            try await self.store.virtualMachines(onHosts: hosts.map(\.id)).filter { $0.state == .running }
        }
        let offeringIds = Array(Set(vms.map(\.serviceOfferingId)))
        let offerings = try await self.virtualMachines.run {
            offeringIds.isEmpty
                ? [] : try await self.store.list(ServiceOffering.self, ListQuery(idIn: offeringIds)).items
        }
        let tagsByOffering = Dictionary(offerings.map { ($0.id, $0.hostTags) }, uniquingKeysWith: { a, _ in a })
        let state = DrsClusterState(
            hosts: hosts.map { host in
                DrsHost(
                    id: host.id,
                    cpuTotal: host.cpuTotal,
                    cpuUsed: host.cpuUsed,
                    memoryTotal: host.memory,
                    memoryUsed: host.memUsed,
                    cpuOverprovisioning: host.cpuOverprovisioning,
                    memoryOverprovisioning: host.memOverprovisioning
                )
            },
            virtualMachines: vms.compactMap { vm in
                guard let hostId = vm.hostId else { return nil }
                let required = VirtualMachineService.tags(tagsByOffering[vm.serviceOfferingId] ?? "")
                return DrsVirtualMachine(
                    id: vm.id,
                    hostId: hostId,
                    cpu: vm.cpuDemand,
                    memory: vm.memoryDemand,
                    allowedHostIds: required.isEmpty
                        ? nil
                        : Set(hosts.filter { required.isSubset(of: VirtualMachineService.tags($0.hostTags)) }.map(\.id))
                )
            }
        )
        return (state, hosts, vms)
    }

    /// A plan computed now and not stored (generateClusterDrsPlan), with the imbalance before and after.
    public struct Draft: Sendable {
        /// The plan (status `UNDER_REVIEW`).
        public var plan: ClusterDrsPlan
        /// Its migrations.
        public var migrations: [ClusterDrsPlanMigration]
        /// The imbalance now.
        public var imbalanceBefore: Double
        /// The imbalance once the plan is done.
        public var imbalanceAfter: Double
    }

    /// Plans a cluster's migrations without executing them.
    /// - Parameters:
    ///   - clusterId: the cluster (must exist).
    ///   - maxMigrations: the most moves (`migrations`), `drs.max.migrations` when nil; must be positive.
    ///   - type: whether an operator or the automatic run asked.
    /// - Returns: the draft.
    /// - Throws: ``OrchestratorError`` 431 for an unknown cluster or a bad number of migrations.
    public func generatePlan(
        clusterId: String,
        maxMigrations: Int?,
        type: ClusterDrsPlan.PlanType = .manual
    ) async throws(OrchestratorError) -> Draft {
        guard
            let cluster = try await self.virtualMachines.run({ try await self.store.get(Cluster.self, id: clusterId) })
        else {
            throw OrchestratorError(.invalidParameter, "Unable to find the cluster by id=\(clusterId)")
        }
        let settings = try await self.settings()
        let limit = maxMigrations ?? settings.maxMigrations
        guard limit > 0 else {
            throw OrchestratorError(
                .invalidParameter,
                "Unable to execute DRS on the cluster \(cluster.name) as the number of migrations [\(limit)] is invalid"
            )
        }
        let (state, _, _) = try await self.clusterState(clusterId)
        let provider = self.antiAffinity.withLock { $0 }
        let groups: [[String]]
        do {
            groups = try await provider(clusterId)
        } catch {
            throw OrchestratorError(
                .internalError,
                "Unable to read the anti-affinity groups of cluster \(cluster.name)"
            )
        }
        let (moves, final) = DrsPlanner.plan(
            state,
            settings: settings,
            antiAffinityGroups: groups,
            maxMigrations: limit
        )
        let planId = UUID().uuidString.lowercased()
        let plan = ClusterDrsPlan(
            id: planId,
            clusterId: clusterId,
            type: type,
            status: .underReview,
            eventId: nil,
            created: self.clock.now
        )
        let migrations = moves.enumerated().map { index, move in
            ClusterDrsPlanMigration(
                id: UUID().uuidString.lowercased(),
                planId: planId,
                position: index,
                vmId: move.vmId,
                sourceHostId: move.sourceHostId,
                destinationHostId: move.destinationHostId
            )
        }
        return Draft(
            plan: plan,
            migrations: migrations,
            imbalanceBefore: state.imbalance(settings),
            imbalanceAfter: final.imbalance(settings)
        )
    }
}
