import CloudModel
import CloudStore
import Coordination
import Logging
import Orchestrator

extension HostAdoption {
    /// Hosts adopted per batch: one read of their rows, the new ones inserted a few hundred to a statement.
    static let adoptionBatch = 500

    /// Adopts every owned live host not adopted as registered yet, in batches (the zones, clusters and settings
    /// read once per pass).
    /// - Returns: false when an adoption failed.
    func reconcile() async -> Bool {
        var pending: [HostInfo] = []
        for id in self.owned {
            guard let host = self.live[id], self.adopted[id] != host else { continue }
            pending.append(host)
        }
        guard !pending.isEmpty else { return true }
        let context: AdoptionContext
        do throws(OrchestratorError) {
            context = try await AdoptionContext.read(store: self.store, configuration: self.configuration)
        } catch {
            self.logger.warning(
                "cannot adopt hosts",
                metadata: ["hosts": "\(pending.count)", "error": "\(error.message)"]
            )
            return false
        }
        var succeeded = true
        for start in stride(from: 0, to: pending.count, by: Self.adoptionBatch) {
            let batch = Array(pending[start..<min(start + Self.adoptionBatch, pending.count)])
            do throws(OrchestratorError) {
                try await self.adopt(batch, context: context)
                // A host may have gone (or changed) meanwhile: only record what is still current.
                for host in batch where self.live[host.id] == host && self.owned.contains(host.id) {
                    self.adopted[host.id] = host
                }
            } catch {
                succeeded = false
                self.logger.warning(
                    "cannot adopt hosts",
                    metadata: ["hosts": "\(batch.count)", "error": "\(error.message)"]
                )
            }
        }
        return succeeded
    }

    /// Creates or updates the rows of a batch of registered hosts and marks the reconnecting ones Up.
    func adopt(_ infos: [HostInfo], context: AdoptionContext) async throws(OrchestratorError) {
        var rows: [(host: Host, agentVersion: String)] = []
        rows.reserveCapacity(infos.count)
        for info in infos { rows.append((try context.row(for: info), info.version)) }
        let previous: [String: HostStatus]
        do {
            previous = try await self.store.upsertAgentHosts(rows)
        } catch {
            throw OrchestratorError(.internalError, "Unable to record \(infos.count) hosts: \(error.message)")
        }
        let reconnecting = previous.filter { HostHAService.reconnectedFrom.contains($0.value) }.map(\.key)
        if !reconnecting.isEmpty {
            // The leader may have marked a host Disconnected because its node went while this batch was written
            // (this server's view lags): only hosts whose node is there now are marked Up.
            let registered: Set<String>
            do {
                registered = try await self.coordinator.hostDirectory.registered(reconnecting)
            } catch {
                throw OrchestratorError(.internalError, "Unable to read \(reconnecting.count) host nodes: \(error)")
            }
            let back = reconnecting.filter { registered.contains($0) && self.live[$0] != nil }
            if !back.isEmpty { try await self.hostHA.hostsReconnected(back) }
        }
        self.logger.info(
            "adopted hosts",
            metadata: ["hosts": "\(infos.count)", "new": "\(infos.count - previous.count)"]
        )
        for info in infos {
            self.logger.debug("adopted host", metadata: ["host": "\(info.id)", "address": "\(info.address)"])
        }
    }
}

/// What turning a registration into a host row needs, read once per adoption pass: the zones, the clusters and
/// the placement settings.
struct AdoptionContext: Sendable {
    var zones: [Zone]
    var clusters: [Cluster]
    var settings: PlacementSettings

    /// Reads the context.
    static func read(
        store: CloudStore,
        configuration: ConfigurationService
    ) async throws(OrchestratorError)
        -> AdoptionContext
    {
        let zones: [Zone]
        let clusters: [Cluster]
        do {
            zones = try await store.list(Zone.self).items
            clusters = try await store.list(Cluster.self).items
        } catch {
            throw OrchestratorError(.internalError, "Unable to read zones: \(error.message)")
        }
        return AdoptionContext(zones: zones, clusters: clusters, settings: try await configuration.snapshot().placement)
    }

    /// The row a registration makes: the agent's zone and cluster by id or name, else the first zone's first
    /// cluster; the overprovisioning factors of the settings.
    func row(for info: HostInfo) throws(OrchestratorError) -> Host {
        func matches(_ id: String, _ name: String, _ wanted: String?) -> Bool {
            guard let wanted else { return false }
            return id == wanted || name == wanted
        }
        let zone = self.zones.first { matches($0.id, $0.name, info.zoneId) }
        let inZone = self.clusters.filter { zone == nil || $0.zoneId == zone?.id }
        let cluster =
            inZone.first { matches($0.id, $0.name, info.clusterId) }
            ?? (zone.map { zone in inZone.first { $0.zoneId == zone.id } } ?? nil)
            ?? self.zones.lazy.compactMap { zone in self.clusters.first { $0.zoneId == zone.id } }.first
        guard let cluster else {
            throw OrchestratorError(.resourceUnavailable, "No zone with a cluster to put host \(info.id) in")
        }
        let ipAddress = info.address.lastIndex(of: ":").map { String(info.address[..<$0]) } ?? info.address
        return Host(
            id: info.id,
            name: info.name,
            zoneId: cluster.zoneId,
            podId: cluster.podId,
            clusterId: cluster.id,
            ipAddress: ipAddress,
            hypervisor: info.hypervisor,
            cpuNumber: info.cpuCores,
            cpuSpeed: info.cpuSpeedMHz,
            memory: Int(info.memoryBytes),
            cpuOverprovisioning: self.settings.cpuOverprovisioningFactor,
            memOverprovisioning: self.settings.memoryOverprovisioningFactor,
            agentAddress: info.address,
            accelerator: info.accelerator
        )
    }
}
