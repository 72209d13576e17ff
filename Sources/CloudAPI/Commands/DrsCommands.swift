import CloudCore
import CloudModel
import CloudStore
import Orchestrator

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
        let cluster = try await context.entity(Cluster.self, "id")
        let draft = try await context.server.drs.generatePlan(
            clusterId: cluster.id,
            maxMigrations: context.int("migrations")
        )
        let rendered = try await DrsResponses.render(
            [(draft.plan, draft.migrations)],
            store: context.server.store
        )
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
        let cluster = try await context.entity(Cluster.self, "id")
        var moves: [(vmId: String, destinationHostId: String)] = []
        for entry in context.parameters.indexedMap("migrateto") {
            guard let vmId = entry.field("vm"), let hostId = entry.field("host") else {
                throw CloudError.invalidParameter(context.command, "migrateto", entry.description)
            }
            guard try await context.server.store.get(VirtualMachine.self, id: vmId) != nil else {
                throw CloudError.invalidParameter(context.command, "migrateto", vmId)
            }
            guard try await context.server.store.get(Host.self, id: hostId) != nil else {
                throw CloudError.invalidParameter(context.command, "migrateto", hostId)
            }
            moves.append((vmId, hostId))
        }
        if moves.isEmpty {
            let draft = try await context.server.drs.generatePlan(clusterId: cluster.id, maxMigrations: nil)
            moves = draft.migrations.map { ($0.vmId, $0.destinationHostId) }
        }
        let (plan, _) = try await context.server.drs.savePlan(clusterId: cluster.id, moves: moves, type: .manual)
        let owner = DrsService.JobOwner(accountId: context.caller.account.id, userId: context.caller.user.id)
        let store = context.server.store
        let caller = context.caller
        return try await context.submitJob(instanceType: "Cluster", instanceId: cluster.id) {
            let (done, migrations) = try await context.server.drs.execute(planId: plan.id, owner: owner) { vm in
                let fresh = (try? await store.get(VirtualMachine.self, id: vm.id)) ?? vm
                guard let rendered = try? await VirtualMachineResponses.render(fresh, store: store, caller: caller)
                else { return APIValue.object([]).json }
                return APIValue.object([("virtualmachine", rendered)]).json
            }
            return ("drsPlan", try await DrsResponses.render([(done, migrations)], store: store)[0])
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
        let id = context.string("id")
        let clusterId = context.string("clusterid")
        if id != nil && clusterId != nil {
            throw CloudError(.paramError, csErrorCode: 4350, "Only one of clusterId or planId can be specified")
        }
        if let clusterId, try await context.server.store.get(Cluster.self, id: clusterId) == nil {
            throw CloudError(.paramError, csErrorCode: 4350, "Unable to find the cluster by id=\(clusterId)")
        }
        let query = try context.listQuery()
        let plans = try await context.server.drs.listPlans(id: id, clusterId: clusterId)
        let size = query.pageSize ?? max(plans.count, 1)
        let page = plans.paged(query.page, size: size)
        let items = try await DrsResponses.render(page, store: context.server.store)
        return .list(item: "drsPlan", total: plans.count, items: items)
    }
}
