import CloudCore
import CloudModel
import CloudStore
import Foundation
import Orchestrator

/// What deployVirtualMachine takes beyond the template and offering: networks, security groups, affinity
/// groups, SSH key pairs and user data. Resolving costs no query when none of them is given.
struct DeployExtras {
    var networks: [Network] = []
    var securityGroups: [SecurityGroup] = []
    var affinityGroups: [AffinityGroup] = []
    var keyPairs: [SSHKeyPair] = []
    var userData: String?

    /// The `vm_detail` names of key pairs.
    static let keyPairNames = SSHKeyPairService.keyPairNamesDetail
    /// The `vm_detail` name of the public keys.
    static let publicKeys = SSHKeyPairService.publicKeysDetail

    /// The deploy parameters this type reads.
    static let parameters: [ParameterDescriptor] = [
        ParameterDescriptor("keypairs", .list, "names of the ssh key pairs used to login to the virtual machine"),
        ParameterDescriptor("securitygroupids", .list, "comma separated list of security groups id"),
        ParameterDescriptor("securitygroupnames", .list, "comma separated list of security groups names"),
        ParameterDescriptor("affinitygroupids", .list, "comma separated list of affinity groups id"),
        ParameterDescriptor("affinitygroupnames", .list, "comma separated list of affinity groups names"),
    ]

    /// The details recording `pairs` on a VM.
    static func keyDetails(_ pairs: [SSHKeyPair]) -> [String: String?] { SSHKeyPairService.details(pairs) }

    static func list(_ context: CommandContext, _ name: String) -> [String] {
        context.string(name)?.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter {
            !$0.isEmpty
        } ?? []
    }

    /// Resolves and checks the parameters for a VM of `owner` in `zone`.
    /// - Throws: 431 for unknown or foreign ids and networks of another zone, 531 out of the caller's reach.
    static func resolve(_ context: CommandContext, owner: Account, zone: Zone) async throws -> DeployExtras {
        var extras = DeployExtras()
        let store = context.server.store
        for id in Self.list(context, "networkids") {
            guard let network = try await store.get(Network.self, id: id) else {
                throw CloudError.invalidParameter(context.command, "networkids", id)
            }
            try await NetworkCommands.checkAccess(context, network)
            if let networkOwner = network.accountId, networkOwner != owner.id {
                throw CommandContext.permissionDenied(
                    "Account \(owner.name) does not have permission to use network \(network.id)"
                )
            }
            guard network.zoneId == zone.id else {
                throw CloudError(
                    .paramError,
                    csErrorCode: 4350,
                    "Network \(network.name) is not in zone \(zone.name)"
                )
            }
            guard !extras.networks.contains(where: { $0.id == network.id }) else { continue }
            extras.networks.append(network)
        }
        for (parameter, column) in [("securitygroupids", "id"), ("securitygroupnames", "name")] {
            for value in Self.list(context, parameter) {
                guard
                    let group = try await store.list(
                        SecurityGroup.self,
                        ListQuery(equals: [("account_id", owner.id), (column, value)])
                    ).items.first
                else { throw CloudError.invalidParameter(context.command, parameter, value) }
                extras.securityGroups.append(group)
            }
        }
        for (parameter, column) in [("affinitygroupids", "id"), ("affinitygroupnames", "name")] {
            for value in Self.list(context, parameter) {
                guard
                    let group = try await store.list(
                        AffinityGroup.self,
                        ListQuery(equals: [("account_id", owner.id), (column, value)])
                    ).items.first
                else { throw CloudError.invalidParameter(context.command, parameter, value) }
                extras.affinityGroups.append(group)
            }
        }
        let keyNames =
            Self.list(context, "keypairs").isEmpty ? Self.list(context, "keypair") : Self.list(context, "keypairs")
        if !keyNames.isEmpty {
            extras.keyPairs = try await context.core.sshKeyPairs.named(
                keyNames,
                accountId: owner.id,
                parameter: "keypair"
            )
        }
        if let userData = context.string("userdata") {
            guard Data(base64Encoded: userData) != nil else {
                throw CloudError(.paramError, csErrorCode: 4350, "User data is not base64 encoded")
            }
            extras.userData = userData
        }
        return extras
    }

    /// Records the memberships and details of a new VM.
    func apply(vmId: String, store: CloudStore) async throws {
        for group in self.securityGroups {
            try await store.addMembers(.securityGroup, groupId: group.id, vmIds: [vmId])
        }
        for group in self.affinityGroups {
            try await store.addMembers(.affinityGroup, groupId: group.id, vmIds: [vmId])
        }
        var details: [String: String?] = [:]
        if !self.keyPairs.isEmpty { details.merge(Self.keyDetails(self.keyPairs)) { _, new in new } }
        if let userData = self.userData { details[VMDetailNames.userData] = userData }
        if !details.isEmpty { try await store.setDetails(of: vmId, details) }
    }
}
