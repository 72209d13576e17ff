import CloudCore
import CloudModel
import Orchestrator

/// scaleVirtualMachine, changeServiceForVirtualMachine and updateVirtualMachine.
enum ScalingCommands {
    static var all: [CommandDescriptor] { [scale, changeService, update] }

    static let offeringParameters = [
        ParameterDescriptor("id", .uuid, required: true, "The ID of the virtual machine"),
        ParameterDescriptor(
            "serviceofferingid",
            .uuid,
            required: true,
            "the ID of the service offering for the virtual machine"
        ),
        ParameterDescriptor(
            "details",
            .map,
            "name value pairs of custom parameters for cpuNumber, cpuSpeed and memory"
        ),
    ]

    static let scale = CommandDescriptor(
        "scaleVirtualMachine",
        "Scales the virtual machine to a new service offering. This command also considers the volume size in the service offering or disk offering linked to the new service offering and apply all characteristics to the root volume.",
        isAsync: true,
        coordinated: true,
        events: .records(CommandEvent(.vmDynamicScale, "scaling Vm", .vm)),
        parameters: offeringParameters + [
            ParameterDescriptor("automigrate", .boolean, "migrate the VM when its host lacks room (not supported)")
        ]
    ) { context in
        let resize = try await context.core.userVMs.prepareScale(
            context.access,
            id: try context.required("id"),
            offeringId: try context.required("serviceofferingid"),
            details: context.detailsMap
        )
        return try await context.submitJob(instanceType: "VirtualMachine", instanceId: resize.vm.id) {
            try await context.core.userVMs.scale(resize)
            return ("success", .bool(true))
        }
    }

    static let changeService = CommandDescriptor(
        "changeServiceForVirtualMachine",
        "Changes the service offering for a virtual machine. The virtual machine must be in a \"Stopped\" state for this command to take effect.",
        coordinated: true,
        events: .records(CommandEvent(.vmUpgrade, "upgrading Vm", .vm)),
        parameters: offeringParameters
    ) { context in
        let changed = try await context.core.userVMs.changeService(
            context.access,
            id: try context.required("id"),
            offeringId: try context.required("serviceofferingid"),
            details: context.detailsMap
        )
        let (name, value) = try await VirtualMachineCommands.result(changed, context)
        return .object(name: name, value)
    }

    static let update = CommandDescriptor(
        "updateVirtualMachine",
        "Updates properties of a virtual machine. The VM has to be stopped and restarted for the new properties to take effect. UpdateVirtualMachine does not first check whether the VM is stopped. Therefore, stop the VM manually before issuing this call.",
        events: .records(CommandEvent(.vmUpdate, "updating Vm", .vm)),
        parameters: [
            ParameterDescriptor("id", .uuid, required: true, "The ID of the virtual machine"),
            ParameterDescriptor("displayname", .string, "user generated name"),
            ParameterDescriptor("name", .string, "new host name of the vm; the VM has to be stopped"),
            ParameterDescriptor("group", .string, "group of the virtual machine"),
            ParameterDescriptor("haenable", .boolean, "true if high-availability is enabled for the virtual machine"),
            ParameterDescriptor("userdata", .string, "base64 encoded user data"),
            ParameterDescriptor("ostypeid", .uuid, "the ID of the OS type that best represents this VM"),
            ParameterDescriptor(
                "displayvm",
                .boolean,
                "an optional field, whether to the display the vm to the end user"
            ),
            ParameterDescriptor("details", .map, "Details in key/value pairs"),
            ParameterDescriptor(
                "cleanupdetails",
                .boolean,
                "optional boolean field, which indicates if details should be cleaned up or not"
            ),
        ]
    ) { context in
        var update = UserVMService.Update(
            id: try context.required("id"),
            details: context.detailsMap,
            cleanupDetails: context.bool("cleanupdetails")
        )
        update.name = context.string("name")
        update.displayName = context.string("displayname")
        update.group = context.parameters["group"]
        update.haEnable = context.string("haenable") != nil ? context.bool("haenable") : nil
        update.userData = context.string("userdata")
        update.osTypeId = context.string("ostypeid")
        update.displayVm = context.string("displayvm") != nil ? context.bool("displayvm") : nil
        let vm = try await context.core.userVMs.update(context.access, update)
        let (name, value) = try await VirtualMachineCommands.result(vm, context)
        return .object(name: name, value)
    }
}
