import CloudModel
import CloudStore
import Logging

/// CloudStack's capacity checker (`AlertManagerImpl.checkForAlerts`): a cluster whose allocated CPU or memory
/// crosses `cluster.cpu.allocated.capacity.notificationthreshold` /
/// `cluster.memory.allocated.capacity.notificationthreshold` raises `ALERT.CPU` (1) / `ALERT.MEMORY` (0). One
/// alert per cluster and type stays listed until archived or deleted: a check while it is still listed raises
/// no duplicate. The leader runs ``check()`` periodically; nothing on the deploy path calls it.
public struct CapacityAlertChecker: Sendable {
    let store: CloudStore
    let configuration: ConfigurationService
    let alerts: AlertLog

    /// Creates the checker.
    /// - Parameters:
    ///   - store: the store.
    ///   - configuration: the settings (thresholds).
    ///   - alerts: where alerts go.
    public init(store: CloudStore, configuration: ConfigurationService, alerts: AlertLog) {
        self.store = store
        self.configuration = configuration
        self.alerts = alerts
    }

    /// Checks every cluster once.
    /// - Returns: the ids of the alerts raised.
    /// - Throws: ``OrchestratorError`` when the inventory cannot be read.
    @discardableResult
    public func check() async throws(OrchestratorError) -> [String] {
        let settings = try await self.configuration.snapshot()
        let cpuThreshold = settings.double(GlobalSettings.clusterCpuNotificationThreshold) ?? 0.75
        let memoryThreshold = settings.double(GlobalSettings.clusterMemoryNotificationThreshold) ?? 0.75
        let (hosts, clusters, pods, open) = try await self.read()
        let podNames = Dictionary(pods.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        var raised: [String] = []
        for cluster in clusters {
            let members = hosts.filter { $0.clusterId == cluster.id }
            guard !members.isEmpty else { continue }
            let cpu = Capacity(
                used: members.map(\.cpuUsed).saturatingSum(),
                total: members.map {
                    Capacity(used: 0, total: $0.cpuTotal, overprovisioningFactor: $0.cpuOverprovisioning)
                        .effectiveTotal
                }
                .saturatingSum()
            )
            let memory = Capacity(
                used: members.map(\.memUsed).saturatingSum(),
                total: members.map {
                    Capacity(used: 0, total: $0.memory, overprovisioningFactor: $0.memOverprovisioning)
                        .effectiveTotal
                }
                .saturatingSum()
            )
            let place = "cluster \(cluster.name) pod \(podNames[cluster.podId] ?? cluster.podId) of availability zone"
            let checks: [(AlertType, Capacity, Double, String)] = [
                (.cpu, cpu, cpuThreshold, "System Alert: Low Unallocated CPU in \(place) \(cluster.zoneId)"),
                (.memory, memory, memoryThreshold, "System Alert: Low Available Memory in \(place) \(cluster.zoneId)"),
            ]
            for (type, capacity, threshold, description) in checks {
                let fraction = capacity.allocatedFraction()
                guard fraction > threshold, !open.contains(Key(type: type.type, clusterId: cluster.id)) else {
                    continue
                }
                let id = await self.alerts.raise(
                    type,
                    description,
                    zoneId: cluster.zoneId,
                    podId: cluster.podId,
                    clusterId: cluster.id
                )
                if let id { raised.append(id) }
            }
        }
        return raised
    }

    struct Key: Hashable {
        var type: Int
        var clusterId: String
    }

    func read() async throws(OrchestratorError) -> ([Host], [Cluster], [Pod], Set<Key>) {
        do {
            let hosts = try await self.store.list(Host.self).items
            let clusters = try await self.store.list(Cluster.self).items
            let pods = try await self.store.list(Pod.self).items
            let listed = try await self.store.list(
                Alert.self,
                ListQuery(equals: [("archived", "0")], idIn: ["0", "1"]).inColumn("type")
            ).items
            let open = Set(listed.compactMap { alert in alert.clusterId.map { Key(type: alert.type, clusterId: $0) } })
            return (hosts, clusters, pods, open)
        } catch {
            throw OrchestratorError(.internalError, "cannot read capacity: \(error)")
        }
    }
}

extension ListQuery {
    /// The query with ``inColumn`` set.
    fileprivate func inColumn(_ column: String) -> ListQuery {
        var query = self
        query.inColumn = column
        return query
    }
}
