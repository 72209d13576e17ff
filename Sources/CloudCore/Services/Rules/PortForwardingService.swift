import CloudModel
import CloudStore
import Foundation

/// Port forwarding rules (CloudStack's `RulesManager`): a public address's port range forwarded to a VM's NIC.
public struct PortForwardingService: Sendable {
    let services: CloudServices

    /// What a new rule forwards between: an address without static NAT, a VM with a NIC in the address's network.
    public struct Target: Sendable {
        /// The public address.
        public let ip: PublicIPAddress
        /// The VM.
        public let vm: VirtualMachine
        /// The guest network.
        public let network: Network
    }

    /// Checks the address and VM of a new rule (createPortForwardingRule); an address associated with the zone
    /// only joins `networkId`.
    /// - Throws: 431 for unknown ids or no NIC in the network, 537 when static NAT is enabled on the address, 531
    ///   out of reach.
    public func target(_ access: Access, ipId: String, vmId: String, networkId: String?) async throws -> Target {
        let ip = try await self.services.publicIPs.ip(access, id: ipId, parameter: "ipaddressid")
        let vm = try await access.virtualMachine(id: vmId, parameter: "virtualmachineid")
        guard ip.staticNatVmId == nil else {
            throw CloudError(
                .networkRuleConflict,
                csErrorCode: 4370,
                "Can't create a port forwarding rule on IP address \(ip.address): static NAT is enabled on it"
            )
        }
        let network = try await self.services.firewall.network(of: ip, access, networkId: networkId)
        _ = try await self.services.firewall.nic(of: vm, in: network)
        return Target(ip: ip, vm: vm, network: network)
    }

    /// Stores a rule forwarding `publicPorts` of the target's address to `privatePorts` of its VM (ranges of the
    /// same size).
    /// - Parameters:
    ///   - target: from ``target(_:ipId:vmId:networkId:)``.
    ///   - protocolName: `tcp` or `udp`.
    ///   - publicPorts: the address's ports.
    ///   - privatePorts: the VM's ports.
    ///   - cidrs: the source CIDRs.
    ///   - openFirewall: whether to add the firewall rule opening the public ports.
    /// - Returns: the rule.
    /// - Throws: 537 when it overlaps a rule of the address; ``StoreError``.
    public func create(
        _ target: Target,
        protocolName: String,
        publicPorts: ClosedRange<Int>,
        privatePorts: ClosedRange<Int>,
        cidrs: [String],
        openFirewall: Bool
    ) async throws -> NetworkRule {
        let rule = NetworkRule(
            id: UUID().uuidString.lowercased(),
            purpose: .portForwarding,
            ipAddressId: target.ip.id,
            networkId: target.network.id,
            accountId: target.ip.accountId ?? target.vm.accountId,
            protocolName: protocolName,
            startPort: publicPorts.lowerBound,
            endPort: publicPorts.upperBound,
            privateStartPort: privatePorts.lowerBound,
            privateEndPort: privatePorts.upperBound,
            cidrList: cidrs.joined(separator: ","),
            vmId: target.vm.id,
            created: self.services.clock.now
        )
        try await self.services.firewall.insertOpening(rule, openFirewall: openFirewall)
        return rule
    }
}

extension CloudServices {
    /// Port forwarding rules.
    public var portForwarding: PortForwardingService { PortForwardingService(services: self) }
}
