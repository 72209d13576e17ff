import CloudModel
import CloudStore

/// ClusterDrsPlanResponse and ClusterDrsPlanMigrationResponse, with the VMs' and hosts' names loaded once per page.
enum DrsResponses {
    /// Renders plans.
    /// - Parameters:
    ///   - plans: plans with their migrations.
    ///   - store: the store (names of VMs, hosts, and the event).
    /// - Returns: one object per plan.
    static func render(
        _ plans: [(plan: ClusterDrsPlan, migrations: [ClusterDrsPlanMigration])],
        store: CloudStore
    ) async throws -> [APIValue] {
        let migrations = plans.flatMap(\.migrations)
        let vmIds = Array(Set(migrations.map(\.vmId)))
        let hostIds = Array(Set(migrations.flatMap { [$0.sourceHostId, $0.destinationHostId] }))
        let vms = vmIds.isEmpty ? [] : try await store.list(VirtualMachine.self, ListQuery(idIn: vmIds)).items
        let hosts = hostIds.isEmpty ? [] : try await store.list(Host.self, ListQuery(idIn: hostIds)).items
        let vmNames = Dictionary(vms.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let hostNames = Dictionary(hosts.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        return plans.map { plan, migrations in
            var fields: [(String, APIValue)] = [
                ("id", .string(plan.id)), ("clusterid", .string(plan.clusterId)),
                ("type", .string(plan.type.rawValue)), ("status", .string(plan.status.rawValue)),
            ]
            if let eventId = plan.eventId { fields.append(("eventid", .string(eventId))) }
            fields.append(("created", .string(DateFormat.string(plan.created))))
            fields.append(
                (
                    "migrations",
                    .array(
                        migrations.map { migration in
                            var item: [(String, APIValue)] = [
                                ("virtualmachineid", .string(migration.vmId)),
                                ("virtualmachinename", .string(vmNames[migration.vmId] ?? "")),
                                ("sourcehostid", .string(migration.sourceHostId)),
                                ("sourcehostname", .string(hostNames[migration.sourceHostId] ?? "")),
                                ("destinationhostid", .string(migration.destinationHostId)),
                                ("destinationhostname", .string(hostNames[migration.destinationHostId] ?? "")),
                            ]
                            if let jobId = migration.jobId { item.append(("jobid", .string(jobId))) }
                            if let status = migration.status { item.append(("jobstatus", .string(status))) }
                            return .object(item)
                        }
                    )
                )
            )
            return .object(fields)
        }
    }
}
