import CloudModel
import CloudStore
import Foundation

/// What deployVirtualMachine takes beyond the template and offering: networks, security groups, affinity groups,
/// SSH key pairs and user data (given, registered or the template's), resolved and checked for the VM's owner.
public struct DeploymentExtras: Sendable {
    /// The networks, in the order asked, without repeats.
    public var networks: [Network] = []
    /// The security groups.
    public var securityGroups: [SecurityGroup] = []
    /// The affinity groups.
    public var affinityGroups: [AffinityGroup] = []
    /// The SSH key pairs.
    public var keyPairs: [SSHKeyPair] = []
    /// The VM details recording its user data (``UserDataService/details(_:ownerId:templateId:userData:userDataId:)``).
    public var userDataDetails: [String: String?] = [:]

    /// The extras as asked for, by id or name.
    public struct Request: Sendable, Hashable {
        /// `networkids`.
        public var networkIds: [String]
        /// `securitygroupids`.
        public var securityGroupIds: [String]
        /// `securitygroupnames`.
        public var securityGroupNames: [String]
        /// `affinitygroupids`.
        public var affinityGroupIds: [String]
        /// `affinitygroupnames`.
        public var affinityGroupNames: [String]
        /// `keypairs` (else `keypair`).
        public var keyPairNames: [String]
        /// `userdata`, base64.
        public var userData: String?
        /// `userdataid`: registered user data of the owner.
        public var userDataId: String?

        /// Creates a request; every list may be empty.
        public init(
            networkIds: [String] = [],
            securityGroupIds: [String] = [],
            securityGroupNames: [String] = [],
            affinityGroupIds: [String] = [],
            affinityGroupNames: [String] = [],
            keyPairNames: [String] = [],
            userData: String? = nil,
            userDataId: String? = nil
        ) {
            self.networkIds = networkIds
            self.securityGroupIds = securityGroupIds
            self.securityGroupNames = securityGroupNames
            self.affinityGroupIds = affinityGroupIds
            self.affinityGroupNames = affinityGroupNames
            self.keyPairNames = keyPairNames
            self.userData = userData
            self.userDataId = userDataId
        }
    }

    /// Resolves and checks `request` for a VM of `owner` in `zone` from the template `templateId`.
    /// - Throws: 431 for unknown or foreign ids and networks of another zone, 531 out of the caller's reach.
    public static func resolve(
        _ request: Request,
        _ access: Access,
        owner: Account,
        zone: Zone,
        templateId: String? = nil
    ) async throws -> DeploymentExtras {
        var extras = DeploymentExtras()
        let store = access.services.store
        for id in request.networkIds {
            guard let network = try await store.get(Network.self, id: id) else {
                throw access.unknown("networkids", id)
            }
            try await access.services.networks.checkAccess(access, network)
            if let networkOwner = network.accountId, networkOwner != owner.id {
                throw Access.permissionDenied(
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
        for (parameter, column, values) in [
            ("securitygroupids", "id", request.securityGroupIds),
            ("securitygroupnames", "name", request.securityGroupNames),
        ] {
            for value in values {
                guard
                    let group = try await store.list(
                        SecurityGroup.self,
                        ListQuery(equals: [("account_id", owner.id), (column, value)])
                    ).items.first
                else { throw access.unknown(parameter, value) }
                extras.securityGroups.append(group)
            }
        }
        for (parameter, column, values) in [
            ("affinitygroupids", "id", request.affinityGroupIds),
            ("affinitygroupnames", "name", request.affinityGroupNames),
        ] {
            for value in values {
                guard
                    let group = try await store.list(
                        AffinityGroup.self,
                        ListQuery(equals: [("account_id", owner.id), (column, value)])
                    ).items.first
                else { throw access.unknown(parameter, value) }
                extras.affinityGroups.append(group)
            }
        }
        if !request.keyPairNames.isEmpty {
            extras.keyPairs = try await access.services.sshKeyPairs.named(
                request.keyPairNames,
                accountId: owner.id,
                parameter: "keypair"
            )
        }
        extras.userDataDetails = try await access.services.userDataRegistry.details(
            access,
            ownerId: owner.id,
            templateId: templateId,
            userData: request.userData,
            userDataId: request.userDataId
        )
        return extras
    }

    /// Records the memberships and details of a new VM.
    /// - Throws: ``StoreError``.
    func apply(vmId: String, store: CloudStore) async throws {
        for group in self.securityGroups {
            try await store.addMembers(.securityGroup, groupId: group.id, vmIds: [vmId])
        }
        for group in self.affinityGroups {
            try await store.addMembers(.affinityGroup, groupId: group.id, vmIds: [vmId])
        }
        var details: [String: String?] = [:]
        if !self.keyPairs.isEmpty { details.merge(SSHKeyPairService.details(self.keyPairs)) { _, new in new } }
        details.merge(self.userDataDetails.filter { $0.value != nil }) { _, new in new }
        if !details.isEmpty { try await store.setDetails(of: vmId, details) }
    }
}
