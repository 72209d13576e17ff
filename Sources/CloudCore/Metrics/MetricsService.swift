import CloudModel
import CloudStore
import Orchestrator

/// The numbers behind `/metrics`: CloudStack's exporter's (hosts, VMs by state, host CPU and memory, storage
/// pools, public IPs, domain resource counts) and ZooStack's (async jobs, the cluster). Each family is one
/// aggregate query (`GROUP BY` over an index) or a list of hosts, pools, zones or domains, so a scrape costs the
/// same at 100 VMs as at 100,000, and keeps nothing between scrapes.
public struct MetricsService: Sendable {
    let services: CloudServices
    var store: CloudStore { self.services.store }

    /// Reads the numbers now.
    /// - Returns: the cloud's metrics.
    /// - Throws: ``StoreError``, ``OrchestratorError``.
    public func sample() async throws -> CloudMetrics {
        let zoneRows = try await self.store.list(Zone.self).items
        let hostRows = try await self.store.list(CloudModel.Host.self).items
        let vmsByZone = try await self.store.virtualMachineCountsByZoneAndState()
        let vmsByHost = try await self.store.virtualMachineCountsByHost()
        let publicIPs = try await self.store.publicIPCountsByZone()
        var metrics = CloudMetrics()
        var zones: [String: CloudMetrics.ZoneSample] = [:]
        for zone in zoneRows {
            var sample = CloudMetrics.ZoneSample(name: zone.name)
            for state in VirtualMachineState.allCases {
                sample.virtualMachines[state] = vmsByZone[zone.id]?[state.rawValue] ?? 0
            }
            sample.publicIPsAllocated = publicIPs[zone.id]?.allocated ?? 0
            sample.publicIPsTotal = publicIPs[zone.id]?.total ?? 0
            zones[zone.id] = sample
        }
        for host in hostRows {
            guard var zone = zones[host.zoneId] else { continue }
            zone.hostsTotal += 1
            let maintenance = Self.maintenanceStates.contains(host.resourceStatus)
            if host.status == .up && !maintenance {
                zone.hostsOnline += 1
            } else if host.status == .down || host.status == .disconnected || maintenance {
                zone.hostsOffline += 1
            }
            zone.cpuAllocatedMHz = zone.cpuAllocatedMHz.saturatingAdding(host.cpuUsed)
            zone.memoryAllocatedBytes = zone.memoryAllocatedBytes.saturatingAdding(host.memUsed)
            zones[host.zoneId] = zone
            metrics.hosts.append(
                CloudMetrics.HostSample(
                    zone: zone.name,
                    name: host.name,
                    address: host.ipAddress,
                    tags: host.hostTags,
                    cpuFactor: host.cpuOverprovisioning,
                    memoryFactor: host.memOverprovisioning,
                    cpuUsedMHz: host.cpuUsed,
                    cpuTotalMHz: host.cpuTotal,
                    memoryUsedBytes: host.memUsed,
                    memoryTotalBytes: host.memory,
                    virtualMachines: vmsByHost[host.id] ?? 0
                )
            )
        }
        metrics.zones = zones.values.sorted { $0.name < $1.name }
        metrics.hosts.sort { ($0.zone, $0.name) < ($1.zone, $1.name) }
        metrics.pools = try await self.pools(zoneNames: zones.mapValues(\.name))
        metrics.domains = try await self.domains()
        let jobs = try await self.store.jobCountsByStatus()
        for status in AsyncJobStatus.allCases { metrics.jobs[status] = jobs[status.rawValue] ?? 0 }
        metrics.cluster = self.services.cluster?.metrics
        let vmLimit = try await self.services.configuration.snapshot().int(GlobalSettings.prometheusVMStatsLimit)
        metrics.virtualMachines = try await self.store.virtualMachineStatsForMetrics(limit: vmLimit ?? 1000).map {
            CloudMetrics.VirtualMachineSample(zone: $0.zone, host: $0.host, name: $0.name, stats: $0.stats)
        }
        return metrics
    }

    /// Primary pools (used, allocated, total over the storage overprovisioning factor), then image stores (the
    /// zone's template bytes as used).
    func pools(zoneNames: [String: String]) async throws -> [CloudMetrics.PoolSample] {
        let factor =
            try await self.services.configuration.snapshot().double(
                GlobalSettings.Name.storageOverprovisioningFactor
            ) ?? 2
        var pools: [CloudMetrics.PoolSample] = []
        for pool in try await self.store.list(StoragePool.self).items {
            guard let zone = zoneNames[pool.zoneId] else { continue }
            pools.append(
                CloudMetrics.PoolSample(
                    zone: zone,
                    name: pool.name,
                    address: "/\(pool.clusterId)/\(pool.name)",
                    type: "primary",
                    overprovisioningFactor: factor,
                    usedBytes: pool.used,
                    allocatedBytes: pool.used,
                    totalBytes: pool.capacity
                )
            )
        }
        let templateBytes = try await self.store.templateBytesByZone()
        for store in try await self.store.list(ImageStore.self).items {
            guard let zone = zoneNames[store.zoneId] else { continue }
            pools.append(
                CloudMetrics.PoolSample(
                    zone: zone,
                    name: store.name,
                    address: store.url,
                    type: "secondary",
                    overprovisioningFactor: nil,
                    usedBytes: templateBytes[store.zoneId] ?? 0,
                    allocatedBytes: nil,
                    totalBytes: store.capacity
                )
            )
        }
        return pools.sorted { ($0.type, $0.zone, $0.name) < ($1.type, $1.zone, $1.name) }
    }

    /// Every domain with what it and its subdomains use, as CloudStack's domain resource counts roll up.
    func domains() async throws -> [CloudMetrics.DomainSample] {
        let domains = try await self.store.list(Domain.self).items
        let own = try await self.store.domainUsage()
        let byId = Dictionary(domains.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var totals: [String: DomainUsageRow] = [:]
        // Each domain's own usage counts for it and every ancestor (depth steps, not a domain × domain scan).
        for (domainId, usage) in own {
            var next: String? = domainId
            var depth = 0
            while let id = next, let domain = byId[id], depth <= domains.count {
                var total = totals[id] ?? DomainUsageRow()
                total.cpu = total.cpu.saturatingAdding(usage.cpu)
                total.memory = total.memory.saturatingAdding(usage.memory)
                total.primaryStorage = total.primaryStorage.saturatingAdding(usage.primaryStorage)
                total.secondaryStorage = total.secondaryStorage.saturatingAdding(usage.secondaryStorage)
                totals[id] = total
                next = domain.parentId
                depth += 1
            }
        }
        let samples = domains.map { domain in
            let total = totals[domain.id] ?? DomainUsageRow()
            return CloudMetrics.DomainSample(
                path: domain.displayPath,
                cpu: total.cpu,
                memory: total.memory,
                primaryStorage: total.primaryStorage,
                secondaryStorage: total.secondaryStorage
            )
        }
        return samples.sorted { $0.path < $1.path }
    }
}

extension MetricsService {
    /// CloudStack's `ResourceState.isMaintenanceState`: a host in these counts as offline.
    static let maintenanceStates: Set<HostResourceState> = [
        .maintenance, .prepareForMaintenance, .errorInMaintenance, .errorInPrepareForMaintenance,
    ]
}

extension CloudServices {
    /// The numbers behind `/metrics`.
    public var metrics: MetricsService { MetricsService(services: self) }
}
