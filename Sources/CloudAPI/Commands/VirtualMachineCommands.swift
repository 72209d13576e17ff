import CloudCore
import CloudModel
import CloudStore
import Orchestrator

/// The VM lifecycle commands.
enum VirtualMachineCommands {
    static var all: [CommandDescriptor] {
        [deploy, listVirtualMachines]
            + LifecycleCommands.all
    }

    /// Loads the VM named by `parameter`, refusing VMs out of the caller's reach (PermissionDenied, 531): a user
    /// reaches its own account's, a domain admin its domain subtree's, the root admin all.
    static func ownedVM(_ context: CommandContext, _ parameter: String = "id") async throws -> VirtualMachine {
        let vm = try await context.entity(VirtualMachine.self, parameter)
        if try await !context.mayAccess(accountId: vm.accountId) {
            throw CloudError(
                .accountError,
                csErrorCode: 4365,
                "Account \(context.caller.account.name) does not have permission to operate on VM \(vm.id)"
            )
        }
        return vm
    }

    /// The `hostid` of deploy and start: root admins only (CloudStack: "Parameter hostid can only be specified by
    /// a Root Admin"), a 431 for an unknown host.
    static func explicitHostId(_ context: CommandContext) async throws -> String? {
        guard let hostId = context.string("hostid") else { return nil }
        guard context.caller.role == .rootAdmin else {
            throw CloudError(
                .accountError,
                csErrorCode: 4365,
                "Parameter hostid can only be specified by a Root Admin, permission denied"
            )
        }
        guard try await context.server.store.get(Host.self, id: hostId) != nil else {
            throw CloudError.invalidParameter(context.command, "hostid", hostId)
        }
        return hostId
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
        coordinated: true,
        events: .records(CommandEvent(.vmCreate, "deploying Vm", .vm)),
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
            ParameterDescriptor("account", .string, "the account to deploy for (with domainid; admins)"),
            ParameterDescriptor("domainid", .uuid, "the domain of account"),
            ParameterDescriptor("projectid", .uuid, "Deploy vm for the project"),
            ParameterDescriptor("hostid", .uuid, "destination Host ID to deploy the VM to (root admin only)"),
            ParameterDescriptor("details", .map, "custom offering values: details[0].cpuNumber, cpuSpeed, memory"),
        ] + DeployExtras.parameters
    ) { context in
        var offering = try await CustomOfferingSizing.offering(context)
        let sizing = try CustomOfferingSizing.resolve(offering, context)
        (offering.cpuNumber, offering.cpuSpeed, offering.memory) = (sizing.cpuNumber, sizing.cpuSpeed, sizing.memory)
        let template = try await context.entity(Template.self, "templateid")
        let zone = try await context.entity(Zone.self, "zoneid")
        let owner = try await context.targetAccount()
        let hostId = try await Self.explicitHostId(context)
        guard template.isReady, template.isPublic || [owner.id, context.caller.account.id].contains(template.accountId)
        else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Template \(template.id) is not ready or not available to the caller"
            )
        }
        if template.format == "ISO" {
            // CloudStack boots an ISO onto a blank root disk of a disk offering; ZooStack deploys templates only.
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Installing from ISO requires a disk offering to be specified for the root disk."
            )
        }
        let extras = try await DeployExtras.resolve(context, owner: owner, zone: zone)
        if let name = context.string("name") {
            try VirtualMachineNames.checkValid(name)
            var networks = extras.networks
            if networks.isEmpty, let network = try await context.server.store.defaultNetwork(zoneId: zone.id) {
                networks = [network]
            }
            try await VirtualMachineNames.checkUnique(name, on: networks, store: context.server.store)
        }
        var request = VirtualMachineService.DeployRequest(
            accountId: owner.id,
            zone: zone,
            template: template,
            offering: offering,
            name: context.string("name"),
            displayName: context.string("displayname")
        )
        request.networks = extras.networks
        // The VM, its CPUs, memory and root volume count against the owner's limits (and its domains').
        let demands: [ResourceType: Int] = [
            .userVM: 1, .cpu: offering.cpuNumber, .memory: offering.memory, .volume: 1,
            .primaryStorage: template.size,
        ]
        let vm = try await context.server.limits.withReservation(for: owner, demands) {
            let vm = try await context.server.virtualMachines.allocate(request)
            try await extras.apply(vmId: vm.id, store: context.server.store)
            return vm
        }
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
                ? try await context.server.virtualMachines.start(
                    id: vm.id,
                    onFailure: .operationFailedToError,
                    hostId: hostId
                ) : vm
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
        ] + ListParameters.scope
    ) { context in
        var filters: [(column: String, value: String)] = []
        for (parameter, column) in [
            ("state", "state"), ("zoneid", "zone_id"), ("hostid", "host_id"), ("templateid", "template_id"),
            ("serviceofferingid", "service_offering_id"),
        ] {
            if let value = context.string(parameter) { filters.append((column, value)) }
        }
        var query = try await context.scopedListQuery(filters)
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
