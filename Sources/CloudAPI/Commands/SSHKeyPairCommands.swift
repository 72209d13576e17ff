import CloudModel
import CloudStore
import Foundation
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

    /// Stores a new pair, 431 when the account already has one by that name.
    static func store(_ pair: SSHKeyPair, _ context: CommandContext) async throws {
        do {
            try await context.server.store.insert(pair)
        } catch {
            guard error.kind == .duplicate else { throw error }
            throw CloudAPIError(.paramError, csErrorCode: 4350, "A key pair with name '\(pair.name)' already exists.")
        }
    }

    /// The named key pairs of `accountId` (comma-separated names), 431 naming the first unknown one.
    static func named(
        _ names: [String],
        accountId: String,
        _ context: CommandContext,
        parameter: String
    ) async throws
        -> [SSHKeyPair]
    {
        var found: [SSHKeyPair] = []
        for name in names {
            guard
                let pair = try await context.server.store.list(
                    SSHKeyPair.self,
                    ListQuery(equals: [("account_id", accountId), ("name", name)])
                ).items.first
            else {
                throw CloudAPIError(
                    .paramError,
                    csErrorCode: 4350,
                    "A key pair with name '\(name)' was not found for the account (parameter \(parameter))"
                )
            }
            found.append(pair)
        }
        return found
    }

    static let create = CommandDescriptor(
        "createSSHKeyPair",
        "Create a new keypair and returns the private key",
        events: .unrecorded("SSH key pairs record no event yet"),
        parameters: [ParameterDescriptor("name", .string, required: true, "Name of the keypair")] + ownerParameters
    ) { context in
        let owner = try await context.targetAccount()
        let name = try context.required("name")
        let generated = try SSHKeys.generate(comment: "\(name)@zoostack")
        let pair = SSHKeyPair(
            id: UUID().uuidString.lowercased(),
            name: name,
            accountId: owner.id,
            publicKey: generated.publicKey,
            fingerprint: SSHKeys.fingerprint(generated.publicKey) ?? "",
            created: Timestamp.now
        )
        try await Self.store(pair, context)
        let owners = try await OwnerNames.load([owner.id], store: context.server.store)
        return .object(name: "keypair", Self.render(pair, owners: owners, privateKey: generated.privateKeyPEM))
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
        let owner = try await context.targetAccount()
        let text = try context.required("publickey")
        guard let (key, _) = SSHKeys.parse(text), let fingerprint = SSHKeys.fingerprint(text) else {
            throw CloudAPIError(.paramError, csErrorCode: 4350, "Public key is invalid")
        }
        let pair = SSHKeyPair(
            id: UUID().uuidString.lowercased(),
            name: try context.required("name"),
            accountId: owner.id,
            publicKey: key,
            fingerprint: fingerprint,
            created: Timestamp.now
        )
        try await Self.store(pair, context)
        let owners = try await OwnerNames.load([owner.id], store: context.server.store)
        return .object(name: "keypair", Self.render(pair, owners: owners))
    }

    static let list = CommandDescriptor(
        "listSSHKeyPairs",
        "List registered keypairs",
        parameters: ListParameters.all + ListParameters.scope + [
            ParameterDescriptor("fingerprint", .string, "A public key fingerprint to look for")
        ]
    ) { context in
        var filters: [(column: String, value: String)] = []
        if let fingerprint = context.string("fingerprint") { filters.append(("fingerprint", fingerprint)) }
        let query = try await context.scopedListQuery(filters)
        let page = try await context.server.store.list(SSHKeyPair.self, query)
        let owners = try await OwnerNames.load(page.items.map(\.accountId), store: context.server.store)
        return .list(item: "sshkeypair", total: page.total, items: page.items.map { Self.render($0, owners: owners) })
    }

    static let delete = CommandDescriptor(
        "deleteSSHKeyPair",
        "Deletes a keypair by name",
        events: .unrecorded("SSH key pairs record no event yet"),
        parameters: [ParameterDescriptor("name", .string, required: true, "Name of the keypair")] + ownerParameters
    ) { context in
        let owner = try await context.targetAccount()
        let name = try context.required("name")
        guard
            let pair = try await context.server.store.list(
                SSHKeyPair.self,
                ListQuery(equals: [("account_id", owner.id), ("name", name)])
            ).items.first
        else {
            throw CloudAPIError(
                .paramError,
                csErrorCode: 4350,
                "A key pair with name '\(name)' does not exist for account \(owner.name)"
            )
        }
        try await context.server.store.delete(SSHKeyPair.self, id: pair.id)
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
        let vm = try await VirtualMachineCommands.ownedVM(context)
        let names =
            (context.string("keypairs") ?? context.string("keypair"))?.split(separator: ",").map(String.init) ?? []
        guard !names.isEmpty else { throw CloudAPIError.missingParameter(context.command, "keypair") }
        let pairs = try await Self.named(names, accountId: vm.accountId, context, parameter: "keypair")
        guard vm.state == .stopped else {
            throw CloudAPIError(
                .paramError,
                csErrorCode: 4350,
                "vm \(vm.name) is not in the right state: \(vm.state.rawValue); make sure the VM is stopped"
            )
        }
        return try await context.submitJob(instanceType: "VirtualMachine", instanceId: vm.id) {
            try await context.server.store.setDetails(of: vm.id, DeployExtras.keyDetails(pairs))
            return try await VirtualMachineCommands.result(vm, context)
        }
    }
}
