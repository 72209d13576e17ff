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
        let vm = try await VirtualMachineCommands.ownedVM(context)
        try Self.precheck(vm, .startRequested)
        let hostId = try await VirtualMachineCommands.explicitHostId(context)
        return try await context.submitJob(instanceType: "VirtualMachine", instanceId: vm.id) {
            let started = try await context.server.virtualMachines.start(id: vm.id, hostId: hostId)
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
        let vm = try await VirtualMachineCommands.ownedVM(context)
        try Self.precheck(vm, .stopRequested)
        let forced = context.bool("forced")
        return try await context.submitJob(instanceType: "VirtualMachine", instanceId: vm.id) {
            let stopped = try await context.server.virtualMachines.stop(id: vm.id, forced: forced)
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
        let vm = try await VirtualMachineCommands.ownedVM(context)
        guard vm.state == .running else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "VM \(vm.name) is not in Running state (\(vm.state.rawValue))"
            )
        }
        return try await context.submitJob(instanceType: "VirtualMachine", instanceId: vm.id) {
            try await VirtualMachineCommands.result(try await context.server.virtualMachines.reboot(id: vm.id), context)
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
        let vm = try await VirtualMachineCommands.ownedVM(context)
        let expunge = context.bool("expunge")
        if expunge && context.caller.role != .rootAdmin {
            throw CloudError(.accountError, csErrorCode: 4365, "Parameter expunge can be passed by Admin only")
        }
        guard [.running, .stopped, .error, .destroyed].contains(vm.state), vm.state != .destroyed || expunge else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "VM \(vm.name) cannot be destroyed in state \(vm.state.rawValue)"
            )
        }
        return try await context.submitJob(instanceType: "VirtualMachine", instanceId: vm.id) {
            let destroyed = try await context.server.virtualMachines.destroy(id: vm.id, expunge: expunge)
            return (
                "virtualmachine",
                try await VirtualMachineResponses.render(destroyed, store: context.server.store, caller: context.caller)
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
        let vm = try await VirtualMachineCommands.ownedVM(context)
        try Self.precheck(vm, .recoveryRequested)
        // A recovered VM counts again (CloudStack checks the limits before recovering).
        let recovered = try await context.withinLimits(
            of: vm.accountId,
            [.userVM: 1, .cpu: vm.cpuNumber, .memory: vm.memory]
        ) { try await context.server.virtualMachines.recover(id: vm.id) }
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
        let vm = try await VirtualMachineCommands.ownedVM(context)
        try Self.precheck(vm, .expungeOperation)
        guard vm.state == .destroyed || vm.state == .error else {
            throw CloudError(.paramError, csErrorCode: 4350, "Please destroy vm with id \(vm.id) first")
        }
        return try await context.submitJob(instanceType: "VirtualMachine", instanceId: vm.id) {
            _ = try await context.server.virtualMachines.expunge(id: vm.id)
            return ("success", .bool(true))
        }
    }

    /// Refuses an illegal event at once (431), before a job is queued, as CloudStack's command checks do.
    static func precheck(_ vm: VirtualMachine, _ event: VirtualMachineEvent) throws(CloudError) {
        guard VirtualMachineStateMachine.target(of: event, from: vm.state) != nil else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Unable to perform \(event.rawValue) on VM \(vm.name): it is in \(vm.state.rawValue) state"
            )
        }
    }
}
