import CloudCore
import CloudStore
import Coordination
import Foundation
import Orchestrator

/// The core's view of the cluster (``ClusterServices``), over this management server's ``Coordinator`` and the
/// `mshost` table.
struct CoordinatedServices: ClusterServices {
    let coordinator: Coordinator
    let store: CloudStore

    var serverId: String { self.coordinator.configuration.serverId }

    func requireCoordination() throws(OrchestratorError) {
        do {
            try self.coordinator.requireCoordination()
        } catch {
            throw Self.unavailable(error)
        }
    }

    func managementServers() async throws -> [ManagementServerStatus] {
        let live = Dictionary(
            self.coordinator.lastKnownMembers.map { ($0.id, $0) },
            uniquingKeysWith: { first, _ in first }
        )
        var servers: [String: ManagementServerStatus] = [:]
        for row in try await self.store.managementServerRows() {
            servers[row.id] = ManagementServerStatus(
                id: row.id,
                name: row.name,
                state: live[row.id] == nil ? "Down" : "Up",
                version: row.version,
                serviceIp: row.serviceIp,
                lastServerStart: row.lastStart,
                lastServerStop: row.lastStop
            )
        }
        for member in live.values where servers[member.id] == nil {
            servers[member.id] = ManagementServerStatus(
                id: member.id,
                name: member.id,
                state: "Up",
                version: member.version,
                serviceIp: member.address,
                lastServerStart: member.started.timeIntervalSince1970,
                lastServerStop: nil
            )
        }
        return self.withCoordination(servers.values.sorted { $0.id < $1.id }, live: live)
    }

    /// Adds what the cluster knows of each server: leadership (the highest published epoch wins; this server's
    /// own from its coordinator, so a stale node of its own never makes two leaders), session state, hosts owned
    /// and the configuration version applied.
    func withCoordination(
        _ servers: [ManagementServerStatus],
        live: [String: ManagementServerInfo]
    ) -> [ManagementServerStatus] {
        let me = self.serverId
        // Plain loops, not map/filter/max/count closures: Swift 6.3.1's -O pipeline crashes on those here
        // (CopyPropagation: "Found ownership error"), as in `metrics`.
        var candidates: [(id: String, epoch: Int)] = []
        for (id, info) in live where id != me {
            if let epoch = info.leaderEpoch { candidates.append((id, Int(epoch))) }
        }
        if let epoch = self.coordinator.leadership.epoch { candidates.append((me, Int(epoch))) }
        var leader: (id: String, epoch: Int)?
        for candidate in candidates {
            if let current = leader, current.epoch >= candidate.epoch { continue }
            leader = candidate
        }
        var owned: [String: Int] = [:]
        for owner in self.coordinator.hostOwners().values { owned[owner, default: 0] += 1 }
        var result: [ManagementServerStatus] = []
        for var server in servers {
            let member = live[server.id]
            server.isLeader = leader?.id == server.id
            server.leaderEpoch = leader?.id == server.id ? leader?.epoch : nil
            server.hostsOwned = owned[server.id] ?? 0
            if server.id == me {
                server.sessionState = self.coordinator.state.description
                server.configurationVersion = self.coordinator.configurationVersion
            } else {
                server.sessionState = member == nil ? "none" : "connected"
                server.configurationVersion = member?.configurationVersion
            }
            result.append(server)
        }
        return result
    }

    func publishConfiguration(name: String, value: String?) async throws {
        do {
            if let value {
                try await self.coordinator.publish(key: name, value: value)
            } else {
                try await self.coordinator.removeConfiguration(key: name)
            }
        } catch let error as CoordinationError {
            throw Self.unavailable(error)
        } catch {
            throw OrchestratorError(
                .internalError,
                "The setting \(name) was saved but could not be published through ZooKeeper: \(error)"
            )
        }
    }

    func hostOwner(_ hostId: String) -> String? {
        self.coordinator.hostOwners()[hostId]
    }

    var metrics: ClusterMetrics {
        let leadership = self.coordinator.leadership
        // A loop, not `values.count { $0 == me }`: Swift 6.3.1's -O pipeline crashes on that closure here
        // (CopyPropagation: "Found ownership error").
        var owned = 0
        for owner in self.coordinator.hostOwners().values where owner == self.serverId { owned += 1 }
        return ClusterMetrics(
            sessionState: self.coordinator.state.description,
            isLeader: leadership.isLeader,
            epoch: leadership.epoch.map(Int.init),
            ownedHosts: owned
        )
    }

    /// An internal error (530/4250 at the API) naming ZooKeeper, with the coordinator's reason.
    static func unavailable(_ error: CoordinationError) -> OrchestratorError {
        let reason =
            error.code == .unavailable
            ? error.reason : "ZooKeeper coordination is not running on this management server (\(error.reason))"
        return OrchestratorError(
            .internalError,
            "This command needs cluster coordination, which is unavailable: \(reason). Retry later or through "
                + "another management server."
        )
    }
}
