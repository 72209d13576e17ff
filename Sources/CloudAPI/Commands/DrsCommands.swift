import CloudCore
import CloudModel

/// generateClusterDrsPlan, executeClusterDrsPlan and listClusterDrsPlan (root admin only, as in CloudStack 4.19).
enum DrsCommands {
    static var all: [CommandDescriptor] { [generate, execute, list] }

    static let generate = CommandDescriptor(
        "generateClusterDrsPlan",
        "Generate DRS plan for a cluster",
        roles: [.rootAdmin],
        events: .records(CommandEvent(.clusterDRSGenerate, "generating DRS plan for cluster", .cluster)),
        parameters: [
            ParameterDescriptor(
                "id",
                .uuid,
                required: true,
                "the ID of the Cluster for which DRS plan is to be generated"
            ),
            ParameterDescriptor(
                "migrations",
                .integer,
                "Maximum number of VMs to migrate for a DRS execution. Defaults to value of cluster's "
                    + "drs.max.migrations setting"
            ),
        ]
    ) { context in
        let plan = try await context.core.drsPlans.generate(
            context.access,
            clusterId: try context.required("id"),
            maxMigrations: context.int("migrations")
        )
        let rendered = try await DrsResponses.render([plan], core: context.core)
        return .object(name: "drsPlan", rendered[0])
    }

    static let execute = CommandDescriptor(
        "executeClusterDrsPlan",
        "Execute DRS for a cluster. If there is another plan in progress for the same cluster, this command will fail.",
        isAsync: true,
        roles: [.rootAdmin],
        coordinated: true,
        events: .unrecorded("the DRS service records CLUSTER.DRS for each of the plan's migrations"),
        parameters: [
            ParameterDescriptor("id", .uuid, required: true, "ID of cluster"),
            ParameterDescriptor(
                "migrateto",
                .map,
                "Virtual Machine to destination host mapping. Format: migrateto[vm-index].vm=<uuid>"
                    + "&migrateto[vm-index].host=<uuid>. Without it, ZooStack executes the plan "
                    + "generateClusterDrsPlan would return now."
            ),
        ]
    ) { context in
        let moves = context.parameters.indexedMap("migrateto").map { entry in
            DrsPlanService.Move(vmId: entry.field("vm"), hostId: entry.field("host"), text: entry.description)
        }
        let plans = context.core.drsPlans
        let (cluster, plan) = try await plans.prepareExecution(
            context.access,
            clusterId: try context.required("id"),
            moves: moves
        )
        let access = context.access
        return try await context.submitJob(instanceType: "Cluster", instanceId: cluster.id) {
            let done = try await plans.execute(access, planId: plan.id) { vm in
                guard let (_, rendered) = try? await VirtualMachineCommands.result(vm, context) else {
                    return APIValue.object([]).json
                }
                return APIValue.object([("virtualmachine", rendered)]).json
            }
            return ("drsPlan", try await DrsResponses.render([done], core: context.core)[0])
        }
    }

    static let list = CommandDescriptor(
        "listClusterDrsPlan",
        "List DRS plans for a clusters",
        roles: [.rootAdmin],
        parameters: [
            ParameterDescriptor("id", .uuid, "ID of the drs plan"),
            ParameterDescriptor("clusterid", .uuid, "ID of the cluster"),
            ParameterDescriptor("keyword", .string, "List by keyword"),
            ParameterDescriptor("page", .integer, "the page to return"),
            ParameterDescriptor("pagesize", .integer, "the number of items per page"),
        ]
    ) { context in
        let page = try await context.core.drsPlans.list(
            context.access,
            context.listRequest,
            clusterId: context.string("clusterid")
        )
        let items = try await DrsResponses.render(page.items, core: context.core)
        return .list(item: "drsPlan", total: page.total, items: items)
    }
}
