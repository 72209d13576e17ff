import CloudCore
import CloudModel
import Orchestrator

/// VM user data: getVirtualMachineUserData (deployVirtualMachine and updateVirtualMachine set it).
enum UserDataCommands {
    static var all: [CommandDescriptor] { [get] }

    static let get = CommandDescriptor(
        "getVirtualMachineUserData",
        "Returns user data associated with the VM",
        parameters: [ParameterDescriptor("virtualmachineid", .uuid, required: true, "The ID of the virtual machine")]
    ) { context in
        let (vm, userData) = try await context.core.userVMs.userData(
            context.access,
            vmId: try context.required("virtualmachineid")
        )
        var fields: [(String, APIValue)] = [("virtualmachineid", .string(vm.id))]
        if let userData { fields.append(("userdata", .string(userData))) }
        return .object(name: "virtualmachineuserdata", .object(fields))
    }
}
