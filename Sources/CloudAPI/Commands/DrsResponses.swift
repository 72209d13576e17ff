import CloudCore
import CloudModel

/// ClusterDrsPlanResponse and ClusterDrsPlanMigrationResponse, with the VMs' and hosts' names loaded once per page.
enum DrsResponses {
    /// Renders plans.
    /// - Parameters:
    ///   - plans: plans with their migrations.
    ///   - core: the core (names of VMs and hosts).
    /// - Returns: one object per plan.
    static func render(_ plans: [DrsPlanService.Plan], core: CloudServices) async throws -> [APIValue] {
        let names = try await core.drsPlans.names(of: plans)
        let vmNames = names.vms
        let hostNames = names.hosts
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
