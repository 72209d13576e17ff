import CloudCore
import CloudModel
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
        let hostId = context.string("hostid")
        let vm = try await context.core.userVMs.prepareMigration(
            context.access,
            vmId: try context.required("virtualmachineid"),
            hostId: hostId
        )
        return try await context.submitJob(instanceType: "VirtualMachine", instanceId: vm.id) {
            let (migrated, figures) = try await context.core.virtualMachines.migrateMeasured(id: vm.id, to: hostId)
            let (name, value) = try await VirtualMachineCommands.result(migrated, context)
            // A real hypervisor's measures (ZooStack's; CloudStack's job result and events have none).
            guard let figures, case .object(let fields) = value else { return (name, value) }
            await context.server.events.record(
                EventType.vmMigrate.rawValue,
                "Live-migrated VM \(migrated.name) from host \(vm.hostId ?? "") to host \(migrated.hostId ?? ""): "
                    + "total time \(figures.totalTimeMilliseconds) ms, downtime \(figures.downtimeMilliseconds) ms",
                accountId: migrated.accountId,
                userId: context.caller.user.id,
                resourceId: migrated.id,
                resourceType: "VirtualMachine"
            )
            return (
                name,
                .object(
                    fields + [
                        ("migrationtotaltime", .int(figures.totalTimeMilliseconds)),
                        ("migrationdowntime", .int(figures.downtimeMilliseconds)),
                    ]
                )
            )
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
        let found = try await context.core.userVMs.hostsForMigration(
            context.access,
            vmId: try context.required("virtualmachineid"),
            context.listRequest
        )
        let names = HostResponses(zones: found.zones, pods: found.pods, clusters: found.clusters)
        let items = found.hosts.map { host in
            guard case .object(let fields) = names.render(host) else { return names.render(host) }
            return APIValue.object(
                fields + [
                    ("suitableformigration", .bool(found.suitable.contains(host.id))),
                    ("requiresStorageMotion", .bool(false)),
                ]
            )
        }
        return .list(item: "host", total: found.total, items: items)
    }
}
