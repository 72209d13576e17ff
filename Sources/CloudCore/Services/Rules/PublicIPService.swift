import CloudModel
import CloudStore
import Orchestrator

/// Public IP addresses (CloudStack's `IpAddressManager`): acquiring one for an account (within its limits),
/// releasing it with its rules, and static NAT.
public struct PublicIPService: Sendable {
    let services: CloudServices
    var store: CloudStore { self.services.store }

    /// An address being acquired: checked and within the owner's limits, waiting for ``allocate(_:)``.
    public struct Association: Sendable {
        /// The new owner.
        public let owner: Account
        /// The zone the address comes from.
        public let zoneId: String
        /// The guest network it joins, if any.
        public let networkId: String?
        /// The VPC it joins, if any.
        public let vpcId: String?
        let reservation: ResourceLimitService.Reservation
    }

    /// The allocated address with this UUID, when the caller may act on it.
    /// - Parameters:
    ///   - access: the caller's access.
    ///   - id: the address's UUID.
    ///   - parameter: the parameter it came in, for the error text.
    /// - Throws: 431 when unknown or not associated, 531 out of the caller's reach.
    public func ip(_ access: Access, id: String, parameter: String) async throws -> PublicIPAddress {
        guard let ip = try await self.store.get(PublicIPAddress.self, id: id) else {
            throw access.unknown(parameter, id)
        }
        return try await self.check(access, ip)
    }

    /// Checks the caller may act on an allocated address.
    func check(_ access: Access, _ ip: PublicIPAddress) async throws -> PublicIPAddress {
        guard ip.state == "Allocated", let owner = ip.accountId else {
            throw CloudError(.paramError, csErrorCode: 4350, "Public IP address \(ip.address) is not associated")
        }
        guard try await access.mayAccess(accountId: owner) else {
            throw Access.permissionDenied(
                "Account \(access.caller.account.name) does not have permission to operate on IP address \(ip.id)"
            )
        }
        return ip
    }

    /// Checks an associateIpAddress request and reserves the owner's public IP limit (CloudStack's create phase);
    /// the address is taken by ``allocate(_:)``.
    /// - Parameters:
    ///   - access: the caller's access.
    ///   - owner: whom the address is for.
    ///   - zoneId: the zone (used when neither network nor VPC is given).
    ///   - networkId: an isolated guest network outside VPCs the address joins.
    ///   - vpcId: a VPC the address joins.
    /// - Throws: 431 for unknown or unsuitable targets, 531 out of reach, 535 over the limit.
    public func prepareAssociate(
        _ access: Access,
        owner: OwnerRequest,
        zoneId: String?,
        networkId: String?,
        vpcId: String?
    ) async throws -> Association {
        let account = try await access.targetAccount(owner)
        var zoneId = zoneId
        var associatedNetwork: String?
        var associatedVPC: String?
        if let networkId {
            let network = try await self.services.networks.usable(access, id: networkId, parameter: "networkid")
            guard network.guestType == "Isolated", network.vpcId == nil else {
                throw CloudError(
                    .paramError,
                    csErrorCode: 4350,
                    "Can't associate a public IP address with network \(network.name): only isolated networks outside VPCs take public IPs"
                )
            }
            associatedNetwork = network.id
            zoneId = network.zoneId
        } else if let vpcId {
            let vpc = try await self.services.vpcs.owned(access, id: vpcId, parameter: "vpcid")
            associatedVPC = vpc.id
            zoneId = vpc.zoneId
        }
        guard let zoneId else {
            throw CloudError(.paramError, csErrorCode: 4350, "Either networkid, vpcid or zoneid has to be specified")
        }
        guard try await self.store.get(Zone.self, id: zoneId) != nil else {
            throw CloudError.invalidParameter(access.command, "zoneid", zoneId)
        }
        let limits = self.services.limits
        let reservation = try await limits.reserve(account, [.publicIP: 1])
        return Association(
            owner: account,
            zoneId: zoneId,
            networkId: associatedNetwork,
            vpcId: associatedVPC,
            reservation: reservation
        )
    }

    /// Takes a free address for a prepared association, releasing its limit reservation.
    /// - Throws: 534 when the zone has no free address; ``StoreError``.
    public func allocate(_ association: Association) async throws -> PublicIPAddress {
        let limits = self.services.limits
        let allocated: PublicIPAddress?
        do {
            allocated = try await self.store.allocatePublicIP(
                zoneId: association.zoneId,
                accountId: association.owner.id,
                networkId: association.networkId,
                vpcId: association.vpcId,
                sourceNat: false
            )
            await limits.release(association.reservation)
        } catch {
            await limits.release(association.reservation)
            throw error
        }
        guard let ip = allocated else {
            throw CloudError(
                .insufficientCapacity,
                csErrorCode: 4325,
                "Insufficient address capacity: no free public IP address in zone \(association.zoneId)"
            )
        }
        return ip
    }

    /// The address a disassociateIpAddress names, by UUID or else by address, checked for release.
    /// - Throws: 431 when neither is given, unknown, or a source NAT address; 531 out of reach.
    public func prepareDisassociate(_ access: Access, id: String?, address: String?) async throws -> PublicIPAddress {
        let ip: PublicIPAddress
        if let id {
            ip = try await self.ip(access, id: id, parameter: "id")
        } else if let address {
            guard
                let found = try await self.store.list(
                    PublicIPAddress.self,
                    ListQuery(equals: [("address", address), ("state", "Allocated")])
                ).items.first
            else { throw CloudError.invalidParameter(access.command, "ipaddress", address) }
            ip = try await self.check(access, found)
        } else {
            throw CloudError.missingParameter(access.command, "id")
        }
        guard !ip.isSourceNat else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "IP address \(ip.address) is used for source NAT purposes and can not be disassociated"
            )
        }
        return ip
    }

    /// Releases an address; as CloudStack's `cleanupIpResources`, its rules and static NAT go with it.
    /// - Throws: ``StoreError``.
    public func release(_ ip: PublicIPAddress) async throws {
        try await self.store.releasePublicIP(id: ip.id)
    }

    /// Enables static NAT from an address to a VM's NIC (in `networkId`, else the address's network, else the
    /// VM's default NIC).
    /// - Throws: 431 for unknown ids, a source NAT address or no suitable NIC; 537 when the address is taken by
    ///   another VM or by rules; 531 out of reach.
    public func enableStaticNat(_ access: Access, ipId: String, vmId: String, networkId: String?) async throws {
        let ip = try await self.ip(access, id: ipId, parameter: "ipaddressid")
        let vm = try await access.virtualMachine(id: vmId, parameter: "virtualmachineid")
        guard !ip.isSourceNat else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Can't enable static NAT on a source NAT IP address \(ip.address)"
            )
        }
        if let current = ip.staticNatVmId, current != vm.id {
            throw CloudError(
                .networkRuleConflict,
                csErrorCode: 4370,
                "Failed to enable static NAT for the IP address \(ip.address): it is already enabled for another VM"
            )
        }
        let rules = try await self.store.list(NetworkRule.self, ListQuery(equals: [("ip_address_id", ip.id)])).items
        if rules.contains(where: { $0.purpose == .portForwarding || $0.purpose == .loadBalancing }) {
            throw CloudError(
                .networkRuleConflict,
                csErrorCode: 4370,
                "Failed to enable static NAT for the IP address \(ip.address): it has port forwarding or load balancing rules"
            )
        }
        let nics = try await self.store.nics(of: vm.id)
        let wanted = networkId ?? ip.networkId
        guard let nic = nics.first(where: { wanted == nil ? $0.isDefault : $0.networkId == wanted }) else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Virtual machine \(vm.name) has no NIC in the network of IP address \(ip.address)"
            )
        }
        try await self.store.setStaticNat(id: ip.id, vmId: vm.id, networkId: nic.networkId)
    }

    /// The address a disableStaticNat names, checked: the caller's, with static NAT enabled.
    /// - Throws: 431 when unknown or without static NAT, 531 out of reach.
    public func prepareDisableStaticNat(_ access: Access, ipId: String) async throws -> PublicIPAddress {
        let ip = try await self.ip(access, id: ipId, parameter: "ipaddressid")
        guard ip.staticNatVmId != nil else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Specified IP address id is not associated with any vm Id"
            )
        }
        return ip
    }

    /// Disables static NAT on an address; as CloudStack's `disableStaticNat`, the address's firewall and IP
    /// forwarding rules go with it.
    /// - Throws: ``StoreError``.
    public func disableStaticNat(_ ip: PublicIPAddress) async throws {
        let rules = try await self.store.list(NetworkRule.self, ListQuery(equals: [("ip_address_id", ip.id)])).items
        try await self.store.deleteRules(
            rules.filter { $0.purpose == .firewall || $0.purpose == .staticNat }.map(\.id)
        )
        try await self.store.setStaticNat(id: ip.id, vmId: nil)
    }

}

extension CloudServices {
    /// Public IP addresses and static NAT.
    public var publicIPs: PublicIPService { PublicIPService(services: self) }
}
