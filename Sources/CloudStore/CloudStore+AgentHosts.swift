import CloudModel
import SQLiteKit

extension CloudStore {
    /// Records a host registered by its agent: inserts the row when it is new, otherwise updates its name,
    /// capacity, management address, agent address and status `Up` (the zone, pod, cluster, resource state,
    /// reservations and tags of an existing row are kept).
    /// - Parameters:
    ///   - host: the host as the agent registered it (id = the agent's host id).
    ///   - agentVersion: the agent's version (`in-process` for the simulated hosts of `zoostack serve`).
    /// - Returns: the status the row had before (nil when it was inserted; ``HostStatus/unknown`` for a stored status
    ///   this version does not know).
    /// - Throws: ``StoreError``.
    @discardableResult
    public func upsertAgentHost(_ host: Host, agentVersion: String) async throws(StoreError) -> HostStatus? {
        let previous = try await self.guarded("upsert agent host") { () -> HostStatus? in
            let status = try await self.sql.raw("SELECT state FROM host WHERE id = \(bind: host.id)")
                .first(decodingColumn: "state", as: String.self)
            guard status != nil else { return nil }
            try await self.sql.raw(
                """
                UPDATE host SET name = \(bind: host.name), ip_address = \(bind: host.ipAddress), \
                cpu_number = \(bind: host.cpuNumber), cpu_speed = \(bind: host.cpuSpeed), \
                memory = \(bind: host.memory), agent_address = \(bind: host.agentAddress), \
                accelerator = \(bind: host.accelerator), \
                agent_version = \(bind: agentVersion), version = version + 1 WHERE id = \(bind: host.id)
                """
            ).run()
            return status.map { HostStatus(rawValue: $0) ?? .unknown }
        }
        if previous == nil {
            try await self.insert(host)
            try await self.guarded("record agent version") {
                try await self.sql.raw(
                    "UPDATE host SET agent_version = \(bind: agentVersion) WHERE id = \(bind: host.id)"
                ).run()
            }
        } else {
            self.hostChanges.changed(host.id)
        }
        return previous
    }

    /// The address of a host's agent.
    /// - Parameter hostId: the host.
    /// - Returns: the address, or nil when the host has no agent (or does not exist).
    /// - Throws: ``StoreError``.
    public func agentAddress(hostId: String) async throws(StoreError) -> String? {
        try await self.guarded("agent address") {
            try await self.sql.raw("SELECT agent_address FROM host WHERE id = \(bind: hostId)")
                .first(decodingColumn: "agent_address", as: String?.self) ?? nil
        }
    }

    /// The Simulator hosts that an in-process agent serves on a single machine: those no agent ever registered
    /// (seeded, or added through `addHost`) and those an in-process agent (agent version `in-process`) registered.
    /// - Returns: the hosts, in the store's order.
    /// - Throws: ``StoreError``.
    public func inProcessSimulatorHosts() async throws(StoreError) -> [Host] {
        try await self.guarded("in-process simulator hosts") {
            try await self.sql.raw(
                """
                SELECT * FROM host WHERE hypervisor = 'Simulator' \
                AND (agent_address IS NULL OR agent_version = 'in-process') ORDER BY id
                """
            ).all(decoding: Host.self, keyDecodingStrategy: SnakeCaseKeys.strategy)
        }
    }
}
