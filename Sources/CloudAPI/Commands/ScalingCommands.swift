import CloudCore
import CloudModel
import CloudStore
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
        let vm = try await VirtualMachineCommands.ownedVM(context)
        let offering = try await CustomOfferingSizing.offering(context)
        let sizing = try CustomOfferingSizing.resolve(offering, context)
        guard vm.state == .running || vm.state == .stopped else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Unable to scale the vm \(vm.name) in state \(vm.state.rawValue); it must be Running or Stopped"
            )
        }
        return try await context.submitJob(instanceType: "VirtualMachine", instanceId: vm.id) {
            try await Self.withinLimits(vm, sizing, context) {
                _ = try await context.server.virtualMachines.scale(id: vm.id, to: offering, sizing: sizing)
            }
            return ("success", .bool(true))
        }
    }

    /// Runs a resize under the owner's CPU and memory limits for what it adds (CloudStack checks the increase).
    static func withinLimits<T: Sendable>(
        _ vm: VirtualMachine,
        _ sizing: VirtualMachineService.Sizing,
        _ context: CommandContext,
        _ body: () async throws -> T
    ) async throws -> T {
        let demands: [ResourceType: Int] = [
            .cpu: sizing.cpuNumber.saturatingSubtracting(vm.cpuNumber),
            .memory: sizing.memory.saturatingSubtracting(vm.memory),
        ]
        guard demands.values.contains(where: { $0 > 0 }),
            let owner = try await context.server.store.get(Account.self, id: vm.accountId)
        else { return try await body() }
        return try await context.server.limits.withReservation(for: owner, demands, body)
    }

    static let changeService = CommandDescriptor(
        "changeServiceForVirtualMachine",
        "Changes the service offering for a virtual machine. The virtual machine must be in a \"Stopped\" state for this command to take effect.",
        coordinated: true,
        events: .records(CommandEvent(.vmUpgrade, "upgrading Vm", .vm)),
        parameters: offeringParameters
    ) { context in
        let vm = try await VirtualMachineCommands.ownedVM(context)
        let offering = try await CustomOfferingSizing.offering(context)
        let sizing = try CustomOfferingSizing.resolve(offering, context)
        let changed = try await Self.withinLimits(vm, sizing, context) {
            try await context.server.virtualMachines.changeOffering(id: vm.id, to: offering, sizing: sizing)
        }
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
        var vm = try await VirtualMachineCommands.ownedVM(context)
        let store = context.server.store
        let newName = context.string("name")
        if let newName, newName != vm.name {
            guard vm.state == .stopped else {
                throw CloudError(
                    .paramError,
                    csErrorCode: 4350,
                    "Vm \(vm.name) should be stopped to do the hostname update"
                )
            }
            try VirtualMachineNames.checkValid(newName)
            let networkIds = try await store.list(Nic.self, ListQuery(equals: [("vm_id", vm.id)])).items.map(
                \.networkId
            )
            let networks =
                networkIds.isEmpty ? [] : try await store.list(Network.self, ListQuery(idIn: networkIds)).items
            try await VirtualMachineNames.checkUnique(newName, on: networks, store: store)
        }
        if let userData = context.string("userdata"), !Self.isBase64(userData) {
            throw CloudError(.paramError, csErrorCode: 4350, "User data is not base64 encoded")
        }
        let displayName = context.string("displayname")
        if newName != nil || displayName != nil {
            let name = newName ?? vm.name
            let display = displayName ?? (vm.displayName == vm.name && newName != nil ? name : vm.displayName)
            let won: Bool
            do {
                won = try await store.renameVirtualMachine(vm, name: name, displayName: display)
            } catch let error as StoreError where error.kind == .duplicate {
                throw CloudError(.paramError, csErrorCode: 4350, "VM with name \(name) already exists")
            }
            guard won else {
                throw CloudError(
                    .internalError,
                    csErrorCode: 4250,
                    "VM \(vm.name) changed state concurrently; retry"
                )
            }
            vm.name = name
            vm.displayName = display
        }
        var details: [String: String?] = [:]
        if context.bool("cleanupdetails") {
            for (name, _) in try await store.details(of: vm.id) where !VMDetailNames.reserved.contains(name) {
                details[name] = .some(nil)
            }
        }
        for (name, value) in context.detailsMap where !VMDetailNames.reserved.contains(name) {
            details[name] = value
        }
        if let group = context.parameters["group"] { details[VMDetailNames.group] = group.isEmpty ? nil : group }
        if context.string("haenable") != nil { details[VMDetailNames.haEnable] = String(context.bool("haenable")) }
        if let userData = context.string("userdata") { details[VMDetailNames.userData] = userData }
        if let osType = context.string("ostypeid") { details[VMDetailNames.osTypeId] = osType }
        if context.string("displayvm") != nil { details[VMDetailNames.displayVm] = String(context.bool("displayvm")) }
        try await store.setDetails(of: vm.id, details)
        let (name, value) = try await VirtualMachineCommands.result(vm, context)
        return .object(name: name, value)
    }

    static func isBase64(_ text: String) -> Bool {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=")
        return text.count % 4 == 0 && text.allSatisfy { allowed.contains($0) }
    }
}

/// The VM detail names that hold `updateVirtualMachine` settings (not shown as free-form details).
enum VMDetailNames {
    static let group = "group"
    static let haEnable = "haenable"
    static let userData = "userdata"
    static let osTypeId = "ostypeid"
    static let displayVm = "displayvm"
    /// Names the free-form `details` map may not overwrite.
    static let reserved: Set<String> = [
        group, haEnable, userData, osTypeId, displayVm, "cpuNumber", "cpuSpeed", "memory",
        VirtualMachineService.migrationTargetDetail, IsoCommands.isoDetail, DeployExtras.keyPairNames,
        DeployExtras.publicKeys,
    ]
}
