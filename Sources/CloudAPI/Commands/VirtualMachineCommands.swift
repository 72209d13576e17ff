import CloudModel
import CloudStore
import Orchestrator

/// The VM lifecycle commands.
enum VirtualMachineCommands {
    static var all: [CommandDescriptor] {
        [deploy, listVirtualMachines]
            + LifecycleCommands.all
    }

    /// Loads the VM named by `parameter`, refusing other accounts' VMs to non-admins (PermissionDenied, 531).
    static func ownedVM(_ context: CommandContext, _ parameter: String = "id") async throws -> VirtualMachine {
        let vm = try await context.entity(VirtualMachine.self, parameter)
        if context.caller.role != .rootAdmin && vm.accountId != context.caller.account.id {
            throw CloudAPIError(
                .accountError,
                csErrorCode: 4365,
                "Account \(context.caller.account.name) does not have permission to operate on VM \(vm.id)"
            )
        }
        return vm
    }

    static func result(_ vm: VirtualMachine, _ context: CommandContext) async throws -> (String, APIValue) {
        let fresh = try await context.server.store.get(VirtualMachine.self, id: vm.id) ?? vm
        return (
            "virtualmachine",
            try await VirtualMachineResponses.render(fresh, store: context.server.store, caller: context.caller)
        )
    }

    static let deploy = CommandDescriptor(
        "deployVirtualMachine",
        "Creates and automatically starts a virtual machine based on a service offering, disk offering, and template.",
        isAsync: true,
        parameters: [
            ParameterDescriptor("serviceofferingid", .uuid, required: true, "the ID of the service offering"),
            ParameterDescriptor("templateid", .uuid, required: true, "the ID of the template"),
            ParameterDescriptor("zoneid", .uuid, required: true, "availability zone"),
            ParameterDescriptor("name", .string, "host name for the virtual machine"),
            ParameterDescriptor("displayname", .string, "an optional user generated name"),
            ParameterDescriptor("startvm", .boolean, "true by default"),
            ParameterDescriptor("networkids", .list, "list of network ids"),
            ParameterDescriptor("keypair", .string, "name of the ssh key pair"),
            ParameterDescriptor("userdata", .string, "base64 user data"),
            ParameterDescriptor("details", .map, "custom offering values: details[0].cpuNumber, cpuSpeed, memory"),
        ]
    ) { context in
        var offering = try await CustomOfferingSizing.offering(context)
        let sizing = try CustomOfferingSizing.resolve(offering, context)
        (offering.cpuNumber, offering.cpuSpeed, offering.memory) = (sizing.cpuNumber, sizing.cpuSpeed, sizing.memory)
        let template = try await context.entity(Template.self, "templateid")
        let zone = try await context.entity(Zone.self, "zoneid")
        guard template.isReady, template.isPublic || template.accountId == context.caller.account.id else {
            throw CloudAPIError(
                .paramError,
                csErrorCode: 4350,
                "Template \(template.id) is not ready or not available to the caller"
            )
        }
        let vm = try await context.server.virtualMachines.allocate(
            .init(
                accountId: context.caller.account.id,
                zone: zone,
                template: template,
                offering: offering,
                name: context.string("name"),
                displayName: context.string("displayname")
            )
        )
        if offering.isCustomized {
            try await context.server.store.setDetails(
                of: vm.id,
                [
                    "cpuNumber": String(sizing.cpuNumber), "cpuSpeed": String(sizing.cpuSpeed),
                    "memory": String(sizing.memory),
                ]
            )
        }
        let start = context.bool("startvm", default: true)
        return try await context.submitJob(instanceType: "VirtualMachine", instanceId: vm.id, returnsId: true) {
            let placed =
                start
                ? try await context.server.virtualMachines.start(id: vm.id, onFailure: .operationFailedToError) : vm
            return try await Self.result(placed, context)
        }
    }

    static let listVirtualMachines = CommandDescriptor(
        "listVirtualMachines",
        "List the virtual machines owned by the account.",
        parameters: ListParameters.all + [
            ParameterDescriptor("state", .string, "state of the virtual machine"),
            ParameterDescriptor("zoneid", .uuid, "the availability zone ID"),
            ParameterDescriptor("hostid", .uuid, "the host ID"),
            ParameterDescriptor("templateid", .uuid, "the template ID"),
            ParameterDescriptor("serviceofferingid", .uuid, "the service offering ID"),
            ParameterDescriptor("details", .list, "comma separated list of details"),
            ParameterDescriptor("tags", .map, "List resources by tags (key/value pairs)"),
        ]
    ) { context in
        var filters = context.ownership
        for (parameter, column) in [
            ("state", "state"), ("zoneid", "zone_id"), ("hostid", "host_id"), ("templateid", "template_id"),
            ("serviceofferingid", "service_offering_id"),
        ] {
            if let value = context.string(parameter) { filters.append((column, value)) }
        }
        var query = try context.listQuery(filters)
        if context.string("state") == nil { query.excludeStates = ["Expunging"] }
        query.tags = context.tagPairs
        query.tagResourceType = "UserVm"
        let page = try await context.server.store.list(VirtualMachine.self, query)
        let items = try await VirtualMachineResponses.render(
            page.items,
            store: context.server.store,
            caller: context.caller
        )
        return .list(item: "virtualmachine", total: page.total, items: items)
    }
}
