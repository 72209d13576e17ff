import CloudCore
import CloudModel
import Orchestrator

/// start, stop, reboot, destroy, recover and expunge.
enum LifecycleCommands {
    static var all: [CommandDescriptor] { [start, stop, reboot, destroy, recover, expunge] }

    static let idParameter = ParameterDescriptor("id", .uuid, required: true, "The ID of the virtual machine")

    static let start = CommandDescriptor(
        "startVirtualMachine",
        "Starts a virtual machine.",
        isAsync: true,
        coordinated: true,
        events: .records(CommandEvent(.vmStart, "starting Vm", .vm)),
        parameters: [idParameter, ParameterDescriptor("hostid", .uuid, "destination host (admin)")]
    ) { context in
        let (vm, hostId) = try await context.core.userVMs.prepareStart(
            context.access,
            id: try context.required("id"),
            hostId: context.string("hostid")
        )
        return try await context.submitJob(instanceType: "VirtualMachine", instanceId: vm.id) {
            let started = try await context.core.virtualMachines.start(id: vm.id, hostId: hostId)
            return try await VirtualMachineCommands.result(started, context)
        }
    }

    static let stop = CommandDescriptor(
        "stopVirtualMachine",
        "Stops a virtual machine.",
        isAsync: true,
        coordinated: true,
        events: .records(CommandEvent(.vmStop, "stopping Vm", .vm)),
        parameters: [idParameter, ParameterDescriptor("forced", .boolean, "Force stop the VM")]
    ) { context in
        let vm = try await context.core.userVMs.prepareStop(context.access, id: try context.required("id"))
        let forced = context.bool("forced")
        return try await context.submitJob(instanceType: "VirtualMachine", instanceId: vm.id) {
            let stopped = try await context.core.virtualMachines.stop(id: vm.id, forced: forced)
            return try await VirtualMachineCommands.result(stopped, context)
        }
    }

    static let reboot = CommandDescriptor(
        "rebootVirtualMachine",
        "Reboots a virtual machine.",
        isAsync: true,
        coordinated: true,
        events: .records(CommandEvent(.vmReboot, "rebooting Vm", .vm)),
        parameters: [idParameter]
    ) { context in
        let vm = try await context.core.userVMs.prepareReboot(context.access, id: try context.required("id"))
        return try await context.submitJob(instanceType: "VirtualMachine", instanceId: vm.id) {
            try await VirtualMachineCommands.result(try await context.core.virtualMachines.reboot(id: vm.id), context)
        }
    }

    static let destroy = CommandDescriptor(
        "destroyVirtualMachine",
        "Destroys a virtual machine.",
        isAsync: true,
        coordinated: true,
        events: .records(CommandEvent(.vmDestroy, "destroying Vm", .vm)),
        parameters: [idParameter, ParameterDescriptor("expunge", .boolean, "expunge immediately")]
    ) { context in
        let expunge = context.bool("expunge")
        let vm = try await context.core.userVMs.prepareDestroy(
            context.access,
            id: try context.required("id"),
            expunge: expunge
        )
        return try await context.submitJob(instanceType: "VirtualMachine", instanceId: vm.id) {
            let destroyed = try await context.core.virtualMachines.destroy(id: vm.id, expunge: expunge)
            return (
                "virtualmachine",
                try await VirtualMachineResponses.render(destroyed, core: context.core, caller: context.caller)
            )
        }
    }

    static let recover = CommandDescriptor(
        "recoverVirtualMachine",
        "Recovers a virtual machine.",
        coordinated: true,
        events: .records(CommandEvent(.vmRecover, "recovering Vm", .vm)),
        parameters: [idParameter]
    ) { context in
        let recovered = try await context.core.userVMs.recover(context.access, id: try context.required("id"))
        let (name, value) = try await VirtualMachineCommands.result(recovered, context)
        return .object(name: name, value)
    }

    static let expunge = CommandDescriptor(
        "expungeVirtualMachine",
        "Expunge a virtual machine. Once expunged, it cannot be recoverd.",
        isAsync: true,
        roles: [.rootAdmin, .domainAdmin],
        coordinated: true,
        events: .records(CommandEvent(.vmExpunge, "expunging Vm", .vm)),
        parameters: [idParameter]
    ) { context in
        let vm = try await context.core.userVMs.prepareExpunge(context.access, id: try context.required("id"))
        return try await context.submitJob(instanceType: "VirtualMachine", instanceId: vm.id) {
            _ = try await context.core.virtualMachines.expunge(id: vm.id)
            return ("success", .bool(true))
        }
    }
}
