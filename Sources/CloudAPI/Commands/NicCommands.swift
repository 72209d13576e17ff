import CloudCore
import CloudModel
import Orchestrator

/// A VM's NICs: addNicToVirtualMachine, removeNicFromVirtualMachine, updateDefaultNicForVirtualMachine, listNics.
enum NicCommands {
    static var all: [CommandDescriptor] { [addNic, removeNic, updateDefaultNic, listNics] }

    static let addNic = CommandDescriptor(
        "addNicToVirtualMachine",
        "Adds VM to specified network by creating a NIC",
        isAsync: true,
        events: .records(CommandEvent(.nicCreate, "adding network to Vm", .vmOfNic)),
        parameters: [
            ParameterDescriptor("virtualmachineid", .uuid, required: true, "Virtual Machine ID"),
            ParameterDescriptor("networkid", .uuid, required: true, "Network ID"),
            ParameterDescriptor(
                "ipaddress",
                .string,
                "IP Address for the new network"
            ),
            ParameterDescriptor("macaddress", .string, "MAC-Address for the new network"),
        ]
    ) { context in
        let (vm, network) = try await context.core.userVMs.prepareAddNic(
            context.access,
            vmId: try context.required("virtualmachineid"),
            networkId: try context.required("networkid"),
            ipAddress: context.string("ipaddress")
        )
        let macAddress = context.string("macaddress")
        let ipAddress = context.string("ipaddress")
        return try await context.submitJob(instanceType: "VirtualMachine", instanceId: vm.id) {
            try await context.core.userVMs.addNic(
                to: vm,
                network: network,
                macAddress: macAddress,
                ipAddress: ipAddress
            )
            return try await VirtualMachineCommands.result(vm, context)
        }
    }

    static let removeNic = CommandDescriptor(
        "removeNicFromVirtualMachine",
        "Removes VM from specified network by deleting a NIC",
        isAsync: true,
        events: .records(CommandEvent(.nicDelete, "removing nic from Vm", .vmOfNic)),
        parameters: [
            ParameterDescriptor("virtualmachineid", .uuid, required: true, "Virtual Machine ID"),
            ParameterDescriptor("nicid", .uuid, required: true, "NIC ID"),
        ]
    ) { context in
        let (vm, nic) = try await context.core.userVMs.prepareRemoveNic(
            context.access,
            vmId: try context.required("virtualmachineid"),
            nicId: try context.required("nicid")
        )
        return try await context.submitJob(instanceType: "VirtualMachine", instanceId: vm.id) {
            try await context.core.userVMs.removeNic(nic)
            return try await VirtualMachineCommands.result(vm, context)
        }
    }

    static let updateDefaultNic = CommandDescriptor(
        "updateDefaultNicForVirtualMachine",
        "Changes the default NIC on a VM",
        isAsync: true,
        events: .records(CommandEvent(.nicUpdate, "updating default nic of Vm", .vmOfNic)),
        parameters: [
            ParameterDescriptor("virtualmachineid", .uuid, required: true, "Virtual Machine ID"),
            ParameterDescriptor("nicid", .uuid, required: true, "NIC ID"),
        ]
    ) { context in
        let nicId = try context.required("nicid")
        let vm = try await context.core.userVMs.prepareDefaultNic(
            context.access,
            vmId: try context.required("virtualmachineid"),
            nicId: nicId
        )
        return try await context.submitJob(instanceType: "VirtualMachine", instanceId: vm.id) {
            try await context.core.userVMs.setDefaultNic(vmId: vm.id, nicId: nicId)
            return try await VirtualMachineCommands.result(vm, context)
        }
    }

    static let listNics = CommandDescriptor(
        "listNics",
        "list the vm nics  IP to NIC",
        parameters: [
            ParameterDescriptor("virtualmachineid", .uuid, required: true, "the ID of the vm"),
            ParameterDescriptor("nicid", .uuid, "the ID of the nic to to list IPs"),
            ParameterDescriptor("networkid", .uuid, "list nic of the specific vm's network"),
            ParameterDescriptor("keyword", .string, "List by keyword"),
            ParameterDescriptor("page", .integer, "the page to return"),
            ParameterDescriptor("pagesize", .integer, "the number of items per page"),
        ]
    ) { context in
        let (nics, networks) = try await context.core.userVMs.nics(
            context.access,
            vmId: try context.required("virtualmachineid"),
            nicId: context.string("nicid"),
            networkId: context.string("networkid")
        )
        return .list(
            item: "nic",
            total: nics.count,
            items: nics.map { NetworkResponses.nic($0, network: networks[$0.networkId]) }
        )
    }
}
