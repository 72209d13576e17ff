import CloudModel
import CloudStore
import Foundation

/// Firewall rules (CloudStack's `FirewallManager`): ingress rules on public addresses, egress rules on isolated
/// networks, and what every rule on a public address shares with port forwarding and load balancing (ownership,
/// the guest network, conflicts, deletion, lists).
public struct FirewallService: Sendable {
    let services: CloudServices
    var store: CloudStore { self.services.store }

    /// The rule with this UUID, of `purpose`, when the caller may change it.
    /// - Throws: 431 when unknown or of another purpose, 531 out of the caller's reach.
    public func rule(
        _ access: Access,
        id: String,
        purpose: NetworkRule.Purpose,
        parameter: String = "id"
    ) async throws -> NetworkRule {
        guard let rule = try await self.store.get(NetworkRule.self, id: id) else { throw access.unknown(parameter, id) }
        guard rule.purpose == purpose else { throw access.unknown(parameter, rule.id) }
        guard try await access.mayAccess(accountId: rule.accountId) else {
            throw Access.permissionDenied(
                "Account \(access.caller.account.name) does not have permission to operate on rule \(rule.id)"
            )
        }
        return rule
    }

    /// The guest network a rule on `ip` applies to: the address's, or (for an address associated with the zone
    /// only) `networkId`, which the address then joins.
    /// - Throws: 431 when neither is there or `networkId` is unknown, 531 when it is out of reach.
    public func network(of ip: PublicIPAddress, _ access: Access, networkId: String?) async throws -> Network {
        if let current = ip.networkId, let network = try await self.store.get(Network.self, id: current) {
            return network
        }
        guard let networkId else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "IP address \(ip.address) is not associated with a guest network; specify networkid"
            )
        }
        let network = try await self.services.networks.usable(access, id: networkId, parameter: "networkid")
        try await self.store.associatePublicIP(id: ip.id, networkId: network.id)
        return network
    }

    /// The address and guest network of a new ingress rule (createFirewallRule).
    /// - Throws: 431 for an unknown, unassociated or VPC address or network; 531 out of reach.
    public func ingressTarget(
        _ access: Access,
        ipId: String,
        networkId: String?
    ) async throws -> (ip: PublicIPAddress, network: Network) {
        let ip = try await self.services.publicIPs.ip(access, id: ipId, parameter: "ipaddressid")
        if ip.vpcId != nil {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Firewall rules are not supported on VPC IP addresses; use network ACLs"
            )
        }
        return (ip, try await self.network(of: ip, access, networkId: networkId))
    }

    /// Stores an ingress rule on an address (from ``ingressTarget(_:ipId:networkId:)``).
    /// - Parameters:
    ///   - access: the caller's access.
    ///   - ip: the address.
    ///   - network: its guest network.
    ///   - ports: the protocol and ports.
    ///   - cidrs: the source CIDRs.
    ///   - icmpType: the ICMP type of an icmp rule (default -1, any).
    ///   - icmpCode: the ICMP code of an icmp rule (default -1, any).
    /// - Returns: the rule.
    /// - Throws: 537 when it overlaps a rule of the address; ``StoreError``.
    public func openIngress(
        _ access: Access,
        ip: PublicIPAddress,
        network: Network,
        ports: RulePorts,
        cidrs: [String],
        icmpType: Int?,
        icmpCode: Int?
    ) async throws -> NetworkRule {
        let icmp = ports.protocolName == "icmp"
        let rule = NetworkRule(
            id: UUID().uuidString.lowercased(),
            purpose: .firewall,
            ipAddressId: ip.id,
            networkId: network.id,
            accountId: ip.accountId ?? access.caller.account.id,
            protocolName: ports.protocolName,
            startPort: icmp ? nil : ports.start,
            endPort: icmp ? nil : ports.end,
            cidrList: cidrs.joined(separator: ","),
            icmpType: icmp ? icmpType ?? -1 : nil,
            icmpCode: icmp ? icmpCode ?? -1 : nil,
            created: self.services.clock.now
        )
        try await self.insert(rule)
        return rule
    }

    /// The network of a new egress rule (createEgressFirewallRule): an isolated network outside VPCs the caller
    /// may use.
    /// - Throws: 431 when unknown or unsuitable, 531 out of reach.
    public func egressNetwork(_ access: Access, id: String) async throws -> Network {
        let network = try await self.services.networks.usable(access, id: id, parameter: "networkid")
        guard network.guestType == "Isolated", network.vpcId == nil, network.accountId != nil else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Egress firewall rules are supported on isolated networks outside VPCs only"
            )
        }
        return network
    }

    /// The source CIDR an egress rule of `network` defaults to: the network's own.
    public static func egressSource(of network: Network) -> String {
        IPv4Subnet(gateway: network.gateway, netmask: network.netmask)?.description ?? "0.0.0.0/0"
    }

    /// Stores an egress rule on a network (from ``egressNetwork(_:id:)``).
    /// - Parameters:
    ///   - network: the network.
    ///   - ports: the protocol and ports.
    ///   - sources: the source CIDRs, each within the network's CIDR or `0.0.0.0/0`.
    ///   - icmpType: the ICMP type of an icmp rule (default -1, any).
    ///   - icmpCode: the ICMP code of an icmp rule (default -1, any).
    /// - Returns: the rule.
    /// - Throws: 431 for a source outside the network, 537 when it overlaps an egress rule; ``StoreError``.
    public func openEgress(
        network: Network,
        ports: RulePorts,
        sources: [String],
        icmpType: Int?,
        icmpCode: Int?
    ) async throws -> NetworkRule {
        let subnet = IPv4Subnet(gateway: network.gateway, netmask: network.netmask)
        // CloudStack allows any source (0.0.0.0/0) besides CIDRs within the network's.
        for cidr in sources where cidr != "0.0.0.0/0" {
            guard let given = IPv4Subnet(cidr: cidr), let subnet, subnet.contains(given.network),
                given.prefix >= subnet.prefix
            else {
                throw CloudError(
                    .paramError,
                    csErrorCode: 4350,
                    "Source CIDR \(cidr) of an egress rule must be within the network's CIDR \(subnet?.description ?? "")"
                )
            }
        }
        let icmp = ports.protocolName == "icmp"
        let rule = NetworkRule(
            id: UUID().uuidString.lowercased(),
            purpose: .firewall,
            trafficType: "Egress",
            ipAddressId: nil,
            networkId: network.id,
            accountId: network.accountId ?? "",
            protocolName: ports.protocolName,
            startPort: icmp ? nil : ports.start,
            endPort: icmp ? nil : ports.end,
            cidrList: sources.joined(separator: ","),
            icmpType: icmp ? icmpType ?? -1 : nil,
            icmpCode: icmp ? icmpCode ?? -1 : nil,
            created: self.services.clock.now
        )
        let existing = try await self.store.list(
            NetworkRule.self,
            ListQuery(equals: [("network_id", network.id), ("traffic_type", "Egress")])
        ).items
        if let other = existing.first(where: {
            $0.protocolName == rule.protocolName && $0.cidrList == rule.cidrList
                && (rule.startPort == nil ? $0.startPort == nil : rule.conflicts(with: $0))
        }) {
            throw CloudError(
                .networkRuleConflict,
                csErrorCode: 4370,
                "The egress rule conflicts with rule \(other.id) of network \(network.name)"
            )
        }
        try await self.store.insert(rule)
        return rule
    }

    /// The rule a delete command names, checked: of `purpose`, the caller's, and for firewall rules of the
    /// command's direction.
    /// - Parameters:
    ///   - access: the caller's access.
    ///   - id: the rule's UUID.
    ///   - purpose: the rules the command deletes.
    ///   - egress: whether the command deletes egress firewall rules.
    /// - Throws: 431 when unknown or of another kind, 531 out of reach.
    public func prepareDelete(
        _ access: Access,
        id: String,
        purpose: NetworkRule.Purpose,
        egress: Bool
    ) async throws -> NetworkRule {
        let rule = try await self.rule(access, id: id, purpose: purpose)
        if purpose == .firewall && (rule.trafficType == "Egress") != egress {
            throw access.unknown("id", rule.id)
        }
        return rule
    }

    /// Deletes a rule with its load balancer memberships and tags.
    /// - Throws: ``StoreError``.
    public func delete(_ rule: NetworkRule) async throws {
        try await self.store.deleteRules([rule.id])
    }
}

extension CloudServices {
    /// Firewall rules, and what all rules on public addresses share.
    public var firewall: FirewallService { FirewallService(services: self) }
}
