import CloudModel
import SQLiteKit

/// What one domain's own accounts use (not its subdomains'): the four types CloudStack's exporter reports as
/// `cloudstack_domain_resource_count`.
public struct DomainUsageRow: Sendable, Hashable {
    /// CPU cores of live VMs.
    public var cpu: Int
    /// MiB of memory of live VMs.
    public var memory: Int
    /// Bytes of volumes.
    public var primaryStorage: Int
    /// Bytes of templates and snapshots.
    public var secondaryStorage: Int

    /// Makes a value.
    /// - Parameters:
    ///   - cpu: cores.
    ///   - memory: MiB.
    ///   - primaryStorage: bytes.
    ///   - secondaryStorage: bytes.
    public init(cpu: Int = 0, memory: Int = 0, primaryStorage: Int = 0, secondaryStorage: Int = 0) {
        self.cpu = cpu
        self.memory = memory
        self.primaryStorage = primaryStorage
        self.secondaryStorage = secondaryStorage
    }
}

/// The aggregates a metrics scrape reads: each one `GROUP BY` statement over an index, never the rows themselves,
/// so a scrape costs the same whatever the number of VMs behind it (within an index scan).
extension CloudStore {
    /// VMs by zone and state (the covering index `vm_instance_zone_state`).
    /// - Returns: zone id → state → count.
    /// - Throws: ``StoreError``.
    public func virtualMachineCountsByZoneAndState() async throws(StoreError) -> [String: [String: Int]] {
        try await self.guarded("count vms by state") {
            var counts: [String: [String: Int]] = [:]
            let rows = try await self.sql.raw(
                "SELECT zone_id, state, count(*) AS n FROM vm_instance GROUP BY zone_id, state"
            ).all()
            for row in rows {
                let zone = try row.decode(column: "zone_id", as: String.self)
                let state = try row.decode(column: "state", as: String.self)
                counts[zone, default: [:]][state] = try row.decode(column: "n", as: Int.self)
            }
            return counts
        }
    }

    /// VMs by the host they run on (or hold capacity on), from the index `vm_instance_host`.
    /// - Returns: host id → count; hosts without VMs are absent.
    /// - Throws: ``StoreError``.
    public func virtualMachineCountsByHost() async throws(StoreError) -> [String: Int] {
        try await self.guarded("count vms by host") {
            var counts: [String: Int] = [:]
            let rows = try await self.sql.raw(
                "SELECT host_id, count(*) AS n FROM vm_instance WHERE host_id IS NOT NULL GROUP BY host_id"
            ).all()
            for row in rows {
                counts[try row.decode(column: "host_id", as: String.self)] = try row.decode(column: "n", as: Int.self)
            }
            return counts
        }
    }

    /// Public IP addresses by zone: how many are allocated (not `Free`) and how many exist.
    /// - Returns: zone id → (allocated, total).
    /// - Throws: ``StoreError``.
    public func publicIPCountsByZone() async throws(StoreError) -> [String: (allocated: Int, total: Int)] {
        try await self.guarded("count public ips") {
            var counts: [String: (allocated: Int, total: Int)] = [:]
            let rows = try await self.sql.raw(
                """
                SELECT zone_id, sum(CASE WHEN state <> 'Free' THEN 1 ELSE 0 END) AS allocated, count(*) AS n \
                FROM public_ip_address GROUP BY zone_id
                """
            ).all()
            for row in rows {
                counts[try row.decode(column: "zone_id", as: String.self)] = (
                    try row.decode(column: "allocated", as: Int.self), try row.decode(column: "n", as: Int.self)
                )
            }
            return counts
        }
    }

    /// Async jobs by status (the covering index `async_job_status_owner`).
    /// - Returns: CloudStack's `jobstatus` → count.
    /// - Throws: ``StoreError``.
    public func jobCountsByStatus() async throws(StoreError) -> [Int: Int] {
        try await self.guarded("count jobs by status") {
            var counts: [Int: Int] = [:]
            let rows = try await self.sql.raw("SELECT status, count(*) AS n FROM async_job GROUP BY status").all()
            for row in rows {
                counts[try row.decode(column: "status", as: Int.self)] = try row.decode(column: "n", as: Int.self)
            }
            return counts
        }
    }

    /// What each domain's own accounts use: CPU and memory of live VMs (the covering index `vm_instance_usage`),
    /// volume bytes (`volume_usage`), template and snapshot bytes, summed per account first and then per domain.
    /// - Returns: domain id → usage; domains whose accounts use nothing are absent.
    /// - Throws: ``StoreError``.
    public func domainUsage() async throws(StoreError) -> [String: DomainUsageRow] {
        try await self.guarded("sum domain usage") {
            var usage: [String: DomainUsageRow] = [:]
            let vms = try await self.sql.raw(
                """
                SELECT account.domain_id AS domain_id, CAST(sum(per.cpu) AS BIGINT) AS cpu, \
                CAST(sum(per.memory) AS BIGINT) AS memory FROM (SELECT account_id, sum(cpu_number) AS cpu, \
                sum(memory) AS memory FROM vm_instance WHERE state NOT IN ('Destroyed', 'Expunging') \
                GROUP BY account_id) AS per JOIN account ON account.id = per.account_id GROUP BY account.domain_id
                """
            ).all()
            for row in vms {
                let domain = try row.decode(column: "domain_id", as: String.self)
                usage[domain, default: DomainUsageRow()].cpu = try row.decode(column: "cpu", as: Int.self)
                usage[domain, default: DomainUsageRow()].memory = try row.decode(column: "memory", as: Int.self)
            }
            let volumes = try await self.sql.raw(
                """
                SELECT account.domain_id AS domain_id, CAST(sum(per.bytes) AS BIGINT) AS bytes FROM \
                (SELECT account_id, sum(size) AS bytes FROM volume WHERE account_id IS NOT NULL GROUP BY account_id) \
                AS per JOIN account ON account.id = per.account_id GROUP BY account.domain_id
                """
            ).all()
            for row in volumes {
                let domain = try row.decode(column: "domain_id", as: String.self)
                usage[domain, default: DomainUsageRow()].primaryStorage = try row.decode(column: "bytes", as: Int.self)
            }
            let secondary = try await self.sql.raw(
                """
                SELECT account.domain_id AS domain_id, CAST(sum(per.bytes) AS BIGINT) AS bytes FROM \
                (SELECT account_id, size AS bytes FROM template UNION ALL SELECT account_id, size AS bytes \
                FROM snapshot) AS per JOIN account ON account.id = per.account_id GROUP BY account.domain_id
                """
            ).all()
            for row in secondary {
                let domain = try row.decode(column: "domain_id", as: String.self)
                usage[domain, default: DomainUsageRow()].secondaryStorage = try row.decode(
                    column: "bytes",
                    as: Int.self
                )
            }
            return usage
        }
    }
}
