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

extension CloudStore {
    /// ``upsertAgentHost(_:agentVersion:)`` for many hosts (an agent process registering thousands): one read of
    /// the batch's statuses, the new rows inserted a few hundred to a statement, their agent versions set with one
    /// statement per version, and the existing rows updated one by one. When the batch insert fails (another
    /// server inserted one of the rows meanwhile), each host is upserted on its own.
    /// - Parameter hosts: the hosts (distinct ids, a batch of at most a few thousand) and their agents' versions.
    /// - Returns: the status each existing row had before (hosts that were inserted are absent).
    /// - Throws: ``StoreError``.
    public func upsertAgentHosts(
        _ hosts: [(host: Host, agentVersion: String)]
    ) async throws(StoreError)
        -> [String: HostStatus]
    {
        guard !hosts.isEmpty else { return [:] }
        var idList = SQLQueryString("")
        for (index, entry) in hosts.enumerated() {
            if index > 0 { idList.appendInterpolation(unsafeRaw: ", ") }
            idList.appendInterpolation(bind: entry.host.id)
        }
        let (previous, unchanged) = try await self.guarded("read agent hosts") {
            () -> ([String: HostStatus], Set<String>) in
            var unchanged: Set<String> = []
            let wanted = Dictionary(hosts.map { ($0.host.id, $0) }) { first, _ in first }
            var statuses: [String: HostStatus] = [:]
            let rows = try await self.sql.raw(
                """
                SELECT id, state, name, ip_address, cpu_number, cpu_speed, memory, agent_address, accelerator, \
                agent_version FROM host WHERE id IN (\(idList))
                """
            ).all()
            for row in rows {
                let id = try row.decode(column: "id", as: String.self)
                let status = try row.decode(column: "state", as: String.self)
                statuses[id] = HostStatus(rawValue: status) ?? .unknown
                // A row already as registered (a server re-adopting after a restart or rebalance) is not written.
                guard let entry = wanted[id] else { continue }
                let host = entry.host
                if try row.decode(column: "name", as: String.self) == host.name,
                    try row.decode(column: "ip_address", as: String.self) == host.ipAddress,
                    try row.decode(column: "cpu_number", as: Int.self) == host.cpuNumber,
                    try row.decode(column: "cpu_speed", as: Int.self) == host.cpuSpeed,
                    try row.decode(column: "memory", as: Int.self) == host.memory,
                    try row.decode(column: "agent_address", as: String?.self) == host.agentAddress,
                    try row.decode(column: "accelerator", as: String?.self) == host.accelerator,
                    try row.decode(column: "agent_version", as: String?.self) == entry.agentVersion
                {
                    unchanged.insert(id)
                }
            }
            return (statuses, unchanged)
        }
        let fresh = hosts.filter { previous[$0.host.id] == nil }
        do throws(StoreError) {
            try await self.insertAll(fresh.map(\.host))
        } catch {
            var result: [String: HostStatus] = [:]
            for entry in hosts {
                result[entry.host.id] = try await self.upsertAgentHost(entry.host, agentVersion: entry.agentVersion)
            }
            return result
        }
        for (version, entries) in Dictionary(grouping: fresh, by: \.agentVersion) {
            var ids = SQLQueryString("")
            for (index, entry) in entries.enumerated() {
                if index > 0 { ids.appendInterpolation(unsafeRaw: ", ") }
                ids.appendInterpolation(bind: entry.host.id)
            }
            try await self.guarded("record agent versions") {
                try await self.sql.raw("UPDATE host SET agent_version = \(bind: version) WHERE id IN (\(ids))").run()
            }
        }
        for entry in hosts where previous[entry.host.id] != nil && !unchanged.contains(entry.host.id) {
            _ = try await self.upsertAgentHost(entry.host, agentVersion: entry.agentVersion)
        }
        return previous
    }
}
