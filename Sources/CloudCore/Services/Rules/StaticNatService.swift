import CloudModel
import CloudStore
import Foundation

/// IP forwarding rules (CloudStack's `RulesManager.createStaticNatRule`): port ranges of an address with static
/// NAT enabled, forwarded to the address's VM. The address is then owned by static NAT: port forwarding and load
/// balancing are refused on it, as static NAT is refused on an address with those rules.
public struct StaticNatService: Sendable {
    let services: CloudServices

    /// What a new rule needs: an address with static NAT enabled, in its guest network.
    public struct Target: Sendable {
        /// The public address.
        public let ip: PublicIPAddress
        /// The static NAT VM.
        public let vmId: String
        /// The address's guest network.
        public let networkId: String
    }

    /// Checks the address of a new rule (createIpForwardingRule).
    /// - Throws: 431 when unknown, 531 out of reach, 537 when it is a source NAT address or has no static NAT.
    public func target(_ access: Access, ipId: String) async throws -> Target {
        let ip = try await self.services.publicIPs.ip(access, id: ipId, parameter: "ipaddressid")
        guard !ip.isSourceNat, let vmId = ip.staticNatVmId, let networkId = ip.networkId else {
            throw CloudError(
                .networkRuleConflict,
                csErrorCode: 4370,
                "Can't do static nat on ip address: \(ip.address)"
            )
        }
        return Target(ip: ip, vmId: vmId, networkId: networkId)
    }

    /// Stores a rule forwarding `ports` of the target's address to the same ports of its VM.
    /// - Parameters:
    ///   - target: from ``target(_:ipId:)``.
    ///   - ports: `tcp` or `udp` with a port range.
    ///   - openFirewall: whether to add the firewall rule opening the ports to 0.0.0.0/0.
    /// - Returns: the rule.
    /// - Throws: 537 when it overlaps a rule of the address; ``StoreError``.
    public func create(_ target: Target, ports: RulePorts, openFirewall: Bool) async throws -> NetworkRule {
        let rule = NetworkRule(
            id: UUID().uuidString.lowercased(),
            purpose: .staticNat,
            ipAddressId: target.ip.id,
            networkId: target.networkId,
            accountId: target.ip.accountId ?? "",
            protocolName: ports.protocolName,
            startPort: ports.start,
            endPort: ports.end,
            vmId: target.vmId,
            created: self.services.clock.now
        )
        try await self.services.firewall.insertOpening(rule, openFirewall: openFirewall)
        return rule
    }
}

extension CloudServices {
    /// IP forwarding (static NAT) rules.
    public var staticNat: StaticNatService { StaticNatService(services: self) }
}
