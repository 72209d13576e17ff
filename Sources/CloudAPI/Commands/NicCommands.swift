import CloudCore
import CloudModel
import CloudStore
import Foundation
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
                "IP Address for the new network (not supported: one is allocated)"
            ),
            ParameterDescriptor("macaddress", .string, "MAC-Address for the new network"),
        ]
    ) { context in
        let vm = try await VirtualMachineCommands.ownedVM(context, "virtualmachineid")
        let network = try await NetworkCommands.usableNetwork(context, "networkid")
        guard network.zoneId == vm.zoneId else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Network \(network.name) is not in the zone of virtual machine \(vm.name)"
            )
        }
        guard [.running, .stopped].contains(vm.state) else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "The virtual machine \(vm.name) is in state \(vm.state.rawValue); it must be Running or Stopped"
            )
        }
        return try await context.submitJob(instanceType: "VirtualMachine", instanceId: vm.id) {
            let store = context.server.store
            let nics = try await store.nics(of: vm.id)
            if nics.contains(where: { $0.networkId == network.id }) {
                throw CloudError(
                    .paramError,
                    csErrorCode: 4350,
                    "A NIC already exists for VM \(vm.name) in network \(network.name)"
                )
            }
            do {
                _ = try await store.allocateNic(
                    vmId: vm.id,
                    network: network,
                    isDefault: nics.isEmpty,
                    nicId: UUID().uuidString.lowercased(),
                    macAddress: context.string("macaddress") ?? Self.macAddress()
                )
            } catch let error as StoreError where error.kind == .notFound {
                throw CloudError(
                    .insufficientCapacity,
                    csErrorCode: 4325,
                    "Insufficient address capacity: no free IP address in network \(network.name)"
                )
            }
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
        let vm = try await VirtualMachineCommands.ownedVM(context, "virtualmachineid")
        let nicId = try context.required("nicid")
        guard let nic = try await context.server.store.nics(of: vm.id).first(where: { $0.id == nicId }) else {
            throw CloudError.invalidParameter(context.command, "nicid", nicId)
        }
        guard !nic.isDefault else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Unable to remove nic from \(vm.name) in network \(nic.networkId); the nic is the default nic"
            )
        }
        return try await context.submitJob(instanceType: "VirtualMachine", instanceId: vm.id) {
            try await context.server.store.removeNic(nic)
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
        let vm = try await VirtualMachineCommands.ownedVM(context, "virtualmachineid")
        let nicId = try context.required("nicid")
        guard try await context.server.store.nics(of: vm.id).contains(where: { $0.id == nicId }) else {
            throw CloudError.invalidParameter(context.command, "nicid", nicId)
        }
        return try await context.submitJob(instanceType: "VirtualMachine", instanceId: vm.id) {
            try await context.server.store.setDefaultNic(vmId: vm.id, nicId: nicId)
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
        let vm = try await VirtualMachineCommands.ownedVM(context, "virtualmachineid")
        let store = context.server.store
        var nics = try await store.nics(of: vm.id)
        if let nicId = context.string("nicid") { nics = nics.filter { $0.id == nicId } }
        if let networkId = context.string("networkid") { nics = nics.filter { $0.networkId == networkId } }
        let networks = Dictionary(
            try await store.list(Network.self, ListQuery(idIn: Array(Set(nics.map(\.networkId))))).items.map {
                ($0.id, $0)
            }
        ) { first, _ in first }
        return .list(
            item: "nic",
            total: nics.count,
            items: nics.map { NetworkResponses.nic($0, network: networks[$0.networkId]) }
        )
    }

    static func macAddress() -> String {
        "02:00:" + (0..<4).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined(separator: ":")
    }
}
