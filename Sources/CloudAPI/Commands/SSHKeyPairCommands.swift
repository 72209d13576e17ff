import CloudCore
import CloudModel
import Orchestrator

/// SSH key pairs: createSSHKeyPair, registerSSHKeyPair, listSSHKeyPairs, deleteSSHKeyPair,
/// resetSSHKeyForVirtualMachine.
enum SSHKeyPairCommands {
    static var all: [CommandDescriptor] { [create, register, list, delete, reset] }

    static let ownerParameters: [ParameterDescriptor] = [
        ParameterDescriptor("account", .string, "an optional account for the ssh key. Must be used with domainId."),
        ParameterDescriptor("domainid", .uuid, "an optional domainId for the ssh key."),
        ParameterDescriptor("projectid", .uuid, "an optional project for the ssh key"),
    ]

    static func render(_ pair: SSHKeyPair, owners: OwnerNames, privateKey: String? = nil) -> APIValue {
        var fields: [(String, APIValue)] = [
            ("id", .string(pair.id)), ("name", .string(pair.name)), ("fingerprint", .string(pair.fingerprint)),
        ]
        if let privateKey { fields.append(("privatekey", .string(privateKey))) }
        fields += owners.fields(pair.accountId)
        return .object(fields)
    }

    static let create = CommandDescriptor(
        "createSSHKeyPair",
        "Create a new keypair and returns the private key",
        events: .unrecorded("SSH key pairs record no event yet"),
        parameters: [ParameterDescriptor("name", .string, required: true, "Name of the keypair")] + ownerParameters
    ) { context in
        let (pair, privateKey) = try await context.core.sshKeyPairs.create(
            context.access,
            owner: context.owner,
            name: try context.required("name")
        )
        let owners = try await OwnerNames.load([pair.accountId], core: context.core)
        return .object(name: "keypair", Self.render(pair, owners: owners, privateKey: privateKey))
    }

    static let register = CommandDescriptor(
        "registerSSHKeyPair",
        "Register a public key in a keypair under a certain name",
        events: .unrecorded("SSH key pairs record no event yet"),
        parameters: [
            ParameterDescriptor("name", .string, required: true, "Name of the keypair"),
            ParameterDescriptor("publickey", .string, required: true, "Public key material of the keypair"),
        ] + ownerParameters
    ) { context in
        let pair = try await context.core.sshKeyPairs.register(
            context.access,
            owner: context.owner,
            name: try context.required("name"),
            publicKey: try context.required("publickey")
        )
        let owners = try await OwnerNames.load([pair.accountId], core: context.core)
        return .object(name: "keypair", Self.render(pair, owners: owners))
    }

    static let list = CommandDescriptor(
        "listSSHKeyPairs",
        "List registered keypairs",
        parameters: ListParameters.all + ListParameters.scope + [
            ParameterDescriptor("fingerprint", .string, "A public key fingerprint to look for")
        ]
    ) { context in
        let page = try await context.core.sshKeyPairs.list(
            context.access,
            context.listRequest,
            fingerprint: context.string("fingerprint")
        )
        let owners = try await OwnerNames.load(page.items.map(\.accountId), core: context.core)
        return .list(item: "sshkeypair", total: page.total, items: page.items.map { Self.render($0, owners: owners) })
    }

    static let delete = CommandDescriptor(
        "deleteSSHKeyPair",
        "Deletes a keypair by name",
        events: .unrecorded("SSH key pairs record no event yet"),
        parameters: [ParameterDescriptor("name", .string, required: true, "Name of the keypair")] + ownerParameters
    ) { context in
        try await context.core.sshKeyPairs.delete(
            context.access,
            owner: context.owner,
            name: try context.required("name")
        )
        return .flat([("success", .bool(true))])
    }

    static let reset = CommandDescriptor(
        "resetSSHKeyForVirtualMachine",
        "Resets the SSH Key for virtual machine. The virtual machine must be in a \"Stopped\" state.",
        isAsync: true,
        events: .records(CommandEvent(.vmResetSSHKey, "resetting SSHKey for Vm", .vm)),
        parameters: [
            ParameterDescriptor("id", .uuid, required: true, "The ID of the virtual machine"),
            ParameterDescriptor("keypair", .string, "name of the ssh key pair used to login to the virtual machine"),
            ParameterDescriptor(
                "keypairs",
                .list,
                "names of the ssh key pairs to be used to login to the virtual machine"
            ),
        ] + ownerParameters
    ) { context in
        let names =
            (context.string("keypairs") ?? context.string("keypair"))?.split(separator: ",").map(String.init) ?? []
        let keys = context.core.sshKeyPairs
        let (vm, pairs) = try await keys.prepareReset(context.access, vmId: try context.required("id"), names: names)
        return try await context.submitJob(instanceType: "VirtualMachine", instanceId: vm.id) {
            try await keys.assign(pairs, to: vm.id)
            return try await VirtualMachineCommands.result(vm, context)
        }
    }
}
