import CloudCore
import CloudModel
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
        try await context.access.virtualMachine(id: try context.required(parameter), parameter: parameter)
    }

    /// The result of a VM job: the VM as it is now.
    static func result(_ vm: VirtualMachine, _ context: CommandContext) async throws -> (String, APIValue) {
        let fresh = try await context.core.userVMs.current(vm)
        return (
            "virtualmachine",
            try await VirtualMachineResponses.render(fresh, core: context.core, caller: context.caller)
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
            ParameterDescriptor(
                "diskofferingid",
                .uuid,
                "the disk offering of the blank root disk when templateid is an ISO (required then)"
            ),
            ParameterDescriptor("size", .long, "the root disk's size (GB) for a custom disk offering of an ISO deploy"),
            ParameterDescriptor("group", .string, "an optional group for the virtual machine"),
        ] + DeployExtras.parameters
    ) { context in
        var deployment = VirtualMachineDeployment(
            serviceOfferingId: try context.required("serviceofferingid"),
            templateId: try context.required("templateid"),
            zoneId: try context.required("zoneid")
        )
        deployment.details = context.detailsMap
        deployment.owner = context.owner
        deployment.hostId = context.string("hostid")
        deployment.name = context.string("name")
        deployment.displayName = context.string("displayname")
        deployment.extras = DeployExtras.request(context)
        deployment.diskOfferingId = context.string("diskofferingid")
        deployment.diskSize = context.int("size")
        deployment.group = context.string("group")
        let (vm, hostId) = try await context.core.deployments.deploy(context.access, deployment)
        let start = context.bool("startvm", default: true)
        return try await context.submitJob(instanceType: "VirtualMachine", instanceId: vm.id, returnsId: true) {
            let placed =
                start
                ? try await context.core.virtualMachines.start(
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
            ParameterDescriptor("networkid", .uuid, "list by network id"),
            ParameterDescriptor("groupid", .uuid, "the group ID"),
        ] + ListParameters.scope
    ) { context in
        let filter = UserVMService.Filter(
            state: context.string("state"),
            zoneId: context.string("zoneid"),
            hostId: context.string("hostid"),
            templateId: context.string("templateid"),
            serviceOfferingId: context.string("serviceofferingid"),
            networkId: context.string("networkid"),
            groupId: context.string("groupid")
        )
        let page = try await context.core.userVMs.list(context.access, context.listRequest, filter: filter)
        let items = try await VirtualMachineResponses.render(page.items, core: context.core, caller: context.caller)
        return .list(item: "virtualmachine", total: page.total, items: items)
    }
}
