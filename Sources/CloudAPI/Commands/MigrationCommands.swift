import CloudCore
import CloudModel
import CloudStore
import Orchestrator

/// migrateVirtualMachine and findHostsForMigration (root admin only, as in CloudStack).
enum MigrationCommands {
    static var all: [CommandDescriptor] { [migrate, findHostsForMigration] }

    static let migrate = CommandDescriptor(
        "migrateVirtualMachine",
        "Attempts Migration of a VM to a different host or Root volume of the vm to a different storage pool",
        isAsync: true,
        roles: [.rootAdmin],
        coordinated: true,
        events: .records(CommandEvent(.vmMigrate, "migrating Vm", .vm)),
        parameters: [
            ParameterDescriptor("virtualmachineid", .uuid, required: true, "the ID of the virtual machine"),
            ParameterDescriptor("hostid", .uuid, "Destination Host ID to migrate VM to"),
            ParameterDescriptor("autoselect", .boolean, "Automatically select a destination host (default true)"),
        ]
    ) { context in
        let vm = try await context.entity(VirtualMachine.self, "virtualmachineid")
        _ = try VirtualMachineService.checkMigratable(vm)
        let hostId = context.string("hostid")
        if let hostId {
            guard let host = try await context.server.store.get(Host.self, id: hostId) else {
                throw CloudError.invalidParameter(context.command, "hostid", hostId)
            }
            try VirtualMachineService.checkDestination(host, for: vm)
        }
        return try await context.submitJob(instanceType: "VirtualMachine", instanceId: vm.id) {
            let migrated = try await context.server.virtualMachines.migrate(id: vm.id, to: hostId)
            return try await VirtualMachineCommands.result(migrated, context)
        }
    }

    static let findHostsForMigration = CommandDescriptor(
        "findHostsForMigration",
        "Find hosts suitable for migrating a virtual machine.",
        roles: [.rootAdmin],
        parameters: [
            ParameterDescriptor(
                "virtualmachineid",
                .uuid,
                required: true,
                "find hosts to which this VM can be migrated"
            ),
            ParameterDescriptor("keyword", .string, "List by keyword"),
            ParameterDescriptor("page", .integer, "the page to return"),
            ParameterDescriptor("pagesize", .integer, "the number of items per page"),
        ]
    ) { context in
        let vm = try await context.entity(VirtualMachine.self, "virtualmachineid")
        let query = try context.listQuery()
        let (hosts, suitable) = try await context.server.virtualMachines.hostsForMigration(id: vm.id)
        let matching = hosts.filter { host in
            guard let keyword = query.keyword, !keyword.isEmpty else { return true }
            return host.name.lowercased().contains(keyword.lowercased())
        }
        let size = query.pageSize ?? max(matching.count, 1)
        let names = try await HostResponses.load(context.server.store)
        let items = matching.paged(query.page, size: size).map { host in
            guard case .object(let fields) = names.render(host) else { return names.render(host) }
            return APIValue.object(
                fields + [
                    ("suitableformigration", .bool(suitable.contains(host.id))),
                    ("requiresStorageMotion", .bool(false)),
                ]
            )
        }
        return .list(item: "host", total: matching.count, items: Array(items))
    }
}
